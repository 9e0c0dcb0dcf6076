/** Id Chromium gives the unpacked development build (derived from the dev key in wxt.config.ts). */
export const DEV_EXTENSION_ID = 'bkejfokopdkhgjdimdaobdodlbpmmmfk';
/** Fixed Firefox add-on id (browser_specific_settings.gecko.id). */
export const FIREFOX_ADDON_ID = 'sightline@sightline.dev';
