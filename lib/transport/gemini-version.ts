/** REST API version the proxy is called with; pinned because SDK majors change the default (2.x v1beta, 3.x v1). */
export const API_VERSION = 'v1beta';
