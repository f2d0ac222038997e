// The hottest reads, run straight on better-sqlite3. drizzle still writes their SQL, from the
// schema; what is skipped is its generic row mapping, which works out for every field of every row
// what kind of field it is and where its value goes: an eighth of the customer's appointment list,
// more than the query itself on the lookups every request makes (bench/api.ts). Here each select's
// fields are looked at once, and a row is mapped by position with each field's own decoder.
import { Column, fillPlaceholders, is, SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';

type Field = Column | SQL;
type Fields = Record<string, Field>;

interface Query<Row> {
  toSQL(): { sql: string; params: unknown[] };
  all(): Row[];
}

export interface Compiled<Row> {
  all(values: Record<string, unknown>): Row[];
  get(values: Record<string, unknown>): Row | undefined;
}

interface Decoder {
  mapFromDriverValue(value: unknown): unknown;
}

/** A column decodes its own values; an sql`` field keeps the decoder given to `mapWith` (identity by default; not in drizzle's types). */
const decoderOf = (field: Field): Decoder => (is(field, Column) ? field : (field as unknown as { decoder: Decoder }).decoder);

/**
 * A function that makes a row object from the values of one result row, written out for these
 * fields (`{ "id": v[0], "technicians": v[6] === null ? null : d[6].mapFromDriverValue(v[6]), … }`):
 * every row it makes has the same shape, which V8 builds fastest. The names are our schema's.
 */
function rowMapper<Row>(fields: Fields): (values: unknown[]) => Row {
  const keys = Object.keys(fields);
  const decoders = keys.map((key) => decoderOf(fields[key]!));
  const entries = keys.map((key, i) => `${JSON.stringify(key)}: v[${i}] === null ? null : d[${i}].mapFromDriverValue(v[${i}])`);
  return new Function('d', `return (v) => ({ ${entries.join(', ')} });`)(decoders) as (values: unknown[]) => Row;
}

/**
 * `build(fields)` must select exactly `fields`, flat (`db.select(fields)…`): their order is the
 * order of the row's values. Placeholders are filled from the values given to `all`/`get`.
 */
export function compileSelect<F extends Fields, Row>(db: Db, fields: F, build: (fields: F) => Query<Row>): Compiled<Row> {
  const { sql, params } = build(fields).toSQL();
  const statement = db.$client.prepare(sql).raw(true);
  const toRow = rowMapper<Row>(fields);
  return {
    all: (values) => (statement.all(...fillPlaceholders(params, values)) as unknown[][]).map(toRow),
    get: (values) => {
      const found = statement.get(...fillPlaceholders(params, values)) as unknown[] | undefined;
      return found === undefined ? undefined : toRow(found);
    },
  };
}
