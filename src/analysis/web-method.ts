/**
 * The HTTP method of a web metric (`provider.web.method`).
 */
export enum WebMethod {
  /** GET (the controller's default). No body. */
  GET = 'GET',
  /** POST, with `body` or `jsonBody`. */
  POST = 'POST',
  /** PUT, with `body` or `jsonBody`. */
  PUT = 'PUT',
}
