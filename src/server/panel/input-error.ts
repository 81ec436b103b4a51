/**
 * A request the panel refuses, with the HTTP status and (when it is about one form field) the field's
 * name, so both the HTML forms and the JSON API can say exactly what to correct.
 */
export class PanelInputError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 403 | 404 | 409 | 422 | 503 = 400,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'PanelInputError';
  }
}
