import { describe, expect, it } from 'vitest';
import { decodeEnum, encodeEnum, filterEqOr, filterIn, odataQuery, odataString } from './odata.js';

describe('odata', () => {
  it('escapes quotes in string literals', () => {
    expect(odataString("O'Brien's")).toBe("'O''Brien''s'");
    expect(filterIn('externalDocumentNumber', ["A'1", 'B'])).toBe("externalDocumentNumber in ('A''1','B')");
    expect(filterIn('number', ['X'])).toBe("number eq 'X'");
    expect(filterEqOr('n', ['A', 'B'])).toBe("n eq 'A' or n eq 'B'");
  });
  it('encodes query values with %20, not +', () => {
    expect(odataQuery({ $filter: "name eq 'CRONUS Webshop & Co'", $expand: undefined })).toBe("?$filter=name%20eq%20'CRONUS%20Webshop%20%26%20Co'");
  });
  it('escapes and unescapes enum members', () => {
    expect(encodeEnum('Fixed Asset')).toBe('Fixed_x0020_Asset');
    expect(encodeEnum('Item')).toBe('Item');
    expect(decodeEnum('_x0020_')).toBe(' ');
    expect(decodeEnum('In_x0020_Review')).toBe('In Review');
    expect(decodeEnum('Positive_x0020_Adjmt_x002E_')).toBe('Positive Adjmt.');
  });
});
