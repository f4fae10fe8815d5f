/**
 * What the simulator says about a CSR it holds: the fields of Tencent's `CSRItem` (DescribeCSRSet)
 * and of the `DescribeCSR` answer, derived from the ID alone, so that every run, replica and test sees
 * the same records without storing 100 000 of them (the store is a set of IDs; simulator.ts).
 *
 * `DescribeCSR` also answers a CSR's private key and its password. The simulator's are marker strings:
 * the gateway must never let either out (GraphQL, logs, spans, metrics, the audit trail, error
 * messages), and the tests grep everything the gateway says for `KEY_MATERIAL_MARKERS`.
 */

/** In every private key the simulator hands out (`PrivateKey` of `DescribeCSR`). */
export const PRIVATE_KEY_MARKER = 'SIMULATOR-PRIVATE-KEY-MUST-NOT-LEAK';
/** Every key password the simulator hands out (`KeyPassword` of `DescribeCSR`). */
export const KEY_PASSWORD_MARKER = 'SIMULATOR-KEY-PASSWORD-MUST-NOT-LEAK';
export const KEY_MATERIAL_MARKERS: readonly string[] = [PRIVATE_KEY_MARKER, KEY_PASSWORD_MARKER];

/** The account every simulated CSR belongs to. */
export const SIMULATOR_OWNER_UIN = '100000000001';
/** `Status` values are not documented; the simulator's CSRs all have this one. */
export const SIMULATOR_CSR_STATUS = 1;
/** Simulated CSRs spread over this many domains: `www<id mod DOMAINS>.example.com`. */
export const SIMULATOR_DOMAINS = 100;
/** CSR `n` was created `n` seconds after this (UTC), in Tencent's `YYYY-MM-DD hh:mm:ss` form. */
const CREATED_FROM = Date.UTC(2024, 0, 1);

/** `CSRItem`, as `DescribeCSRSet` lists it (intl SDK ssl/v20191205 models.js). */
export interface CsrItemFields {
  readonly Id: number;
  readonly OwnerUin: string;
  readonly Domain: string;
  readonly Organization: string;
  readonly Department: string;
  readonly Email: string;
  readonly Province: string;
  readonly City: string;
  readonly Country: string;
  readonly Remarks: string;
  readonly Status: number;
  readonly CreateTime: string;
  readonly EncryptAlgo: string;
  readonly KeyParameter: string;
}

/** The `DescribeCSR` answer's fields besides `RequestId`: the item, the CSR itself, and the key material. */
export interface CsrDetailFields extends CsrItemFields {
  readonly CSR: string;
  readonly PrivateKey: string;
  readonly KeyPassword: string;
}

export function simulatedDomain(id: number): string {
  return `www${id % SIMULATOR_DOMAINS}.example.com`;
}

export function csrItem(id: number): CsrItemFields {
  const domain = simulatedDomain(id);
  const ecc = id % 3 === 0;
  return {
    Id: id,
    OwnerUin: SIMULATOR_OWNER_UIN,
    Domain: domain,
    Organization: 'Example Ltd',
    Department: 'Platform',
    Email: `admin@${domain}`,
    Province: 'Guangdong',
    City: 'Shenzhen',
    Country: 'CN',
    Remarks: `simulated CSR ${id}`,
    Status: SIMULATOR_CSR_STATUS,
    CreateTime: new Date(CREATED_FROM + id * 1000).toISOString().replace('T', ' ').slice(0, 19),
    EncryptAlgo: ecc ? 'ECC' : 'RSA',
    KeyParameter: ecc ? 'prime256v1' : id % 2 === 0 ? '4096' : '2048',
  };
}

export function csrDetail(id: number): CsrDetailFields {
  return {
    ...csrItem(id),
    CSR: `-----BEGIN CERTIFICATE REQUEST-----\nU0lNVUxBVEVEIENTUiAke2lkfQ==${id}\n-----END CERTIFICATE REQUEST-----\n`,
    PrivateKey: `-----BEGIN PRIVATE KEY-----\n${PRIVATE_KEY_MARKER}-${id}\n-----END PRIVATE KEY-----\n`,
    KeyPassword: `${KEY_PASSWORD_MARKER}-${id}`,
  };
}
