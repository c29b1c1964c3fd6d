import type { InfigoAddressJson } from '../../electron/sandbox/infigo/types';

/** A complete, deliverable UK address for orders that must go through (benchmarks, good orders beside bad ones). */
export const GOOD_ADDRESS: InfigoAddressJson = {
  FirstName: 'Ada',
  LastName: 'Lovelace',
  CompanyName: 'Analytical Prints Ltd',
  AddressLine1: '12 St James Square',
  AddressLine2: '',
  Town: 'London',
  ZipPostalCode: 'SW1Y 4JH',
  StateProvince: '',
  Country: 'GB',
  Telephone: '+44 20 7946 0000',
  FaxNumber: '',
  Email: 'ada@example.com',
};

/** The JSON objects a child process printed one per line (other lines ignored). */
export function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        return {};
      }
    });
}
