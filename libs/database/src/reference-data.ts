import type { EntityManager } from 'typeorm';
import reference from '../../../config/reference/municipalities.json';

/**
 * Upserts Sweden's municipalities from the reference data file, so a change to the file (a merger,
 * a renamed kommun) reaches existing installations at the next start. Idempotent.
 */
export async function syncMunicipalities(manager: EntityManager): Promise<number> {
  const rows = reference.municipalities;
  await manager.query(
    `INSERT INTO municipality (code, name, county_code)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
     ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, county_code = EXCLUDED.county_code
       WHERE (municipality.name, municipality.county_code) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.county_code)`,
    [rows.map((r) => r.code), rows.map((r) => r.name), rows.map((r) => r.countyCode)],
  );
  return rows.length;
}
