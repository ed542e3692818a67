// HTTP header rules shared by the Prometheus and web providers (not re-exported by index.ts).

/** Header names that carry credentials: their value must come from a Secret. @internal */
export const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|cookie)$|token|secret|password|api[-_]?key|auth/i;
/** Values that look like credentials. @internal */
export const CREDENTIAL_VALUE = /^(bearer|basic|token|apikey)\s+\S/i;
/** An HTTP header name (token characters). @internal */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
