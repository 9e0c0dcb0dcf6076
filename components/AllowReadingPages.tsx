/**
 * The button a notice of kind 'read-page-permission' offers: the model wanted the shared page's text (read_page),
 * which needs the optional "scripting" permission; the browser asks only on a click in a visible page.
 */
import { useState } from 'preact/hooks';
import { allowReadingPages } from '../lib/panel/read-page-permission.ts';
import { i18n } from '#i18n';

interface Props {
  /** Called once the browser granted it (the notice can go). */
  onAllowed: () => void;
}

/** "Allow reading pages": asks for the permission on the click; says so when the browser refuses. */
export function AllowReadingPages({ onAllowed }: Props) {
  const [refused, setRefused] = useState(false);
  const ask = () => void allowReadingPages().then((ok) => (ok ? onAllowed() : setRefused(true)));
  return (
    <button type="button" onClick={ask} title={refused ? i18n.t('readPages.refusedTitle') : undefined}>
      {refused ? i18n.t('readPages.refused') : i18n.t('readPages.allow')}
    </button>
  );
}
