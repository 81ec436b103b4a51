import type { FieldDef } from './pages.js';

/**
 * What every page shares when a request writes or reads a field: BC's faults (an AL error, a type or length
 * problem) and the stored form of an incoming value.
 */
export class PageFault extends Error {
  constructor(message: string, readonly code = 'Microsoft.Dynamics.Nav.Types.Exceptions.NavNCLDialogException') {
    super(message);
  }
}

/** Validates one incoming value as BC's page would, returning the stored form (Code → upper case). */
export function normalize(f: FieldDef, value: string): string {
  const v = f.type === 'text' ? value : value.trim();
  switch (f.type) {
    case 'code':
    case 'text':
      if (f.length !== undefined && v.length > f.length) {
        throw new PageFault(`The length of the string is ${v.length}, but it must be less than or equal to ${f.length} characters. Value: ${v}`, 'Microsoft.Dynamics.Nav.Types.Exceptions.NavNCLStringLengthExceededException');
      }
      return f.type === 'code' ? v.toUpperCase() : v;
    case 'decimal':
      if (!/^-?\d+(\.\d+)?$/.test(v)) throw new PageFault(`The value '${v}' of ${f.caption} is not a valid decimal (xsd:decimal).`, 'System.ServiceModel.CommunicationException');
      return v;
    case 'int':
      if (!/^-?\d+$/.test(v)) throw new PageFault(`The value '${v}' of ${f.caption} is not a valid integer (xsd:int).`, 'System.ServiceModel.CommunicationException');
      return String(Number(v));
    case 'boolean':
      if (!/^(true|false|1|0)$/.test(v)) throw new PageFault(`The value '${v}' of ${f.caption} is not a valid boolean (xsd:boolean).`, 'System.ServiceModel.CommunicationException');
      return v === 'true' || v === '1' ? 'true' : 'false';
    case 'date':
      if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new PageFault(`The value '${v}' of ${f.caption} is not a valid date (xsd:date).`, 'System.ServiceModel.CommunicationException');
      return v;
    case 'datetime':
      return v;
    case 'option':
      if (!f.options!.includes(v)) throw new PageFault(`'${v}' is not an option. The existing options are: ${f.options!.join(',')}`);
      return v;
  }
}

