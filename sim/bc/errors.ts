/**
 * BC error shapes (bc-api.md §1.8): `{"error":{"code":"<Category_Detail>","message":"<text>  CorrelationId:  <guid>."}}`.
 * Handlers throw BcError; the gateway turns it into the body with the request's correlation id.
 */
export class BcError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function errorBody(code: string, message: string, correlationId: string): { error: { code: string; message: string } } {
  // Two spaces before and after "CorrelationId:" and a closing period, as BC writes it.
  return { error: { code, message: `${message}  CorrelationId:  ${correlationId}.` } };
}

// --- the documented code/message pairs (bc-api.md §1.2, §1.8) ---

/** Application_DialogException: an AL Error() during validation → 400. */
export const dialog = (message: string) => new BcError(400, 'Application_DialogException', message);

export const badRequest = (message: string) => new BcError(400, 'BadRequest', message);

export const querySyntax = () => new BcError(400, 'BadRequest_NotFound', 'Bad Request - Error in query syntax.');

export const segmentNotFound = (segment: string) =>
  new BcError(404, 'BadRequest_ResourceNotFound', `Resource not found for the segment '${segment}'.`);

export const recordNotFound = (table: string, key: string, value: string) =>
  new BcError(404, 'Internal_RecordNotFound', `The ${table} does not exist. Identification fields and values: ${key}='${value}'`);

export const stringTooLong = (value: string, max: number) =>
  new BcError(
    400,
    'Application_StringExceededLength',
    `The length of the string is ${value.length}, but it must be less than or equal to ${max} characters. Value: ${value}`,
  );

export const readOnlyControl = (caption: string) =>
  new BcError(400, 'BadRequest_InvalidOperation', `Control '${caption}' is read-only`);

export const unknownProperty = (prop: string, type: string) =>
  new BcError(
    400,
    'BadRequest',
    `The property '${prop}' does not exist on type 'Microsoft.NAV.${type}'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
  );

export const noSuchProperty = (prop: string, type: string) =>
  new BcError(400, 'BadRequest', `Could not find a property named '${prop}' on type 'Microsoft.NAV.${type}'.`);

export const methodNotAllowed = (method: string, set: string) =>
  new BcError(
    405,
    'BadRequest_MethodNotAllowed',
    `'${method}' requests for '${set}' of EdmType 'Entity' are not allowed within Dynamics 365 Business Central OData web services.`,
  );

export const tooManyRequests = (actual: number, maximum: number, retryAfterSeconds?: number) =>
  new BcError(
    429,
    'Application_TooManyRequests',
    // [3P] Demiliani's recording (bc-api.md §1.8); Microsoft does not document the 429 body.
    `Too many requests reached. Actual (${actual}). Maximum (${maximum}).`,
    retryAfterSeconds === undefined ? {} : { 'Retry-After': String(retryAfterSeconds) },
  );
