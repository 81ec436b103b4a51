import type { FieldDef, PageDef } from './pages.js';
import { pageNs } from './pages.js';

/**
 * The WSDL BC serves on GET of a page URL, in the shape of samples/bc/soap-page-Customer.wsdl:
 * doc/literal, `{Svc}`, `{Svc}_List`, `{Svc}_Fields`, `{Svc}_Filter`, one element pair per operation,
 * `soapAction="urn:microsoft-dynamics-schemas/page/{svc}:{Op}"`.
 */
const XSD: Record<FieldDef['type'], string> = {
  code: 'xsd:string', text: 'xsd:string', decimal: 'xsd:decimal', int: 'xsd:int', boolean: 'xsd:boolean',
  date: 'xsd:date', datetime: 'xsd:dateTime', option: '',
};

export function operationsOf(p: PageDef): string[] {
  if (p.operations) return p.operations;
  return p.writable ? ['Read', 'ReadMultiple', 'IsUpdated', 'Create', 'CreateMultiple', 'Delete'] : ['Read', 'ReadMultiple', 'IsUpdated'];
}

export function wsdl(p: PageDef, location: string): string {
  const s = p.service;
  const ns = pageNs(p);
  const el = (name: string, seq: string) => `<xsd:element name="${name}"><xsd:complexType><xsd:sequence>${seq}</xsd:sequence></xsd:complexType></xsd:element>`;
  const one = (name: string, type: string, min = 1) => `<xsd:element minOccurs="${min}" maxOccurs="1" name="${name}" type="${type}" />`;
  const enums = p.fields
    .filter((x) => x.type === 'option')
    .map((x) => `<xsd:simpleType name="${x.name}"><xsd:restriction base="xsd:string">${x.options!.map((o) => `<xsd:enumeration value="${o}" />`).join('')}</xsd:restriction></xsd:simpleType>`)
    .join('');
  const fields = [one('Key', 'xsd:string', 0), ...p.fields.map((x) => one(x.name, x.type === 'option' ? `tns:${x.name}` : XSD[x.type], 0))].join('');
  const elements: Record<string, string> = {
    Read: el('Read', p.key.map((k) => one(k, XSD[p.fields.find((x) => x.name === k)!.type])).join('')) + el('Read_Result', one(s, `tns:${s}`, 0)),
    ReadMultiple:
      el('ReadMultiple', `<xsd:element minOccurs="1" maxOccurs="unbounded" name="filter" type="tns:${s}_Filter" />${one('bookmarkKey', 'xsd:string', 0)}${one('setSize', 'xsd:int')}`) +
      el('ReadMultiple_Result', one('ReadMultiple_Result', `tns:${s}_List`, 0)),
    IsUpdated: el('IsUpdated', one('Key', 'xsd:string')) + el('IsUpdated_Result', one('IsUpdated_Result', 'xsd:boolean')),
    Create: el('Create', one(s, `tns:${s}`)) + el('Create_Result', one(s, `tns:${s}`)),
    CreateMultiple: el('CreateMultiple', one(`${s}_List`, `tns:${s}_List`)) + el('CreateMultiple_Result', one(`${s}_List`, `tns:${s}_List`)),
    Delete: el('Delete', one('Key', 'xsd:string')) + el('Delete_Result', one('Delete_Result', 'xsd:boolean')),
  };
  const ops = operationsOf(p);
  const soap = 'xmlns="http://schemas.xmlsoap.org/wsdl/soap/"';
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<definitions xmlns:tns="${ns}" targetNamespace="${ns}" xmlns="http://schemas.xmlsoap.org/wsdl/">` +
    `<types><xsd:schema elementFormDefault="qualified" targetNamespace="${ns}" xmlns:xsd="http://www.w3.org/2001/XMLSchema">` +
    enums +
    `<xsd:complexType name="${s}"><xsd:sequence>${fields}</xsd:sequence></xsd:complexType>` +
    `<xsd:complexType name="${s}_List"><xsd:sequence><xsd:element minOccurs="1" maxOccurs="unbounded" name="${s}" type="tns:${s}" /></xsd:sequence></xsd:complexType>` +
    `<xsd:simpleType name="${s}_Fields"><xsd:restriction base="xsd:string">${p.fields.map((x) => `<xsd:enumeration value="${x.name}" />`).join('')}</xsd:restriction></xsd:simpleType>` +
    `<xsd:complexType name="${s}_Filter"><xsd:sequence>${one('Field', `tns:${s}_Fields`)}${one('Criteria', 'xsd:string')}</xsd:sequence></xsd:complexType>` +
    ops.map((o) => elements[o]).join('') +
    '</xsd:schema></types>' +
    ops.map((o) => `<message name="${o}"><part name="parameters" element="tns:${o}" /></message><message name="${o}_Result"><part name="parameters" element="tns:${o}_Result" /></message>`).join('') +
    `<portType name="${s}_Port">${ops.map((o) => `<operation name="${o}"><input name="${o}" message="tns:${o}" /><output name="${o}_Result" message="tns:${o}_Result" /></operation>`).join('')}</portType>` +
    `<binding name="${s}_Binding" type="tns:${s}_Port"><binding transport="http://schemas.xmlsoap.org/soap/http" ${soap} />` +
    ops.map((o) => `<operation name="${o}"><operation soapAction="${ns}:${o}" style="document" ${soap} /><input name="${o}"><body use="literal" ${soap} /></input><output name="${o}_Result"><body use="literal" ${soap} /></output></operation>`).join('') +
    '</binding>' +
    `<service name="${s}_Service"><port name="${s}_Port" binding="tns:${s}_Binding"><address location="${location}" ${soap} /></port></service>` +
    '</definitions>'
  );
}
