// Global setup of the `postgres` vitest project: migrates one template database, which every test
// database is then cloned from (`create database … template …` copies it in milliseconds, where
// running the migrations per test would take far longer).
import { adminQuery, databaseUrl } from './database';

export default async function setup(): Promise<() => Promise<void>> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) throw new Error('the postgres project needs TEST_DATABASE_URL');
  // One template per run, so two runs on one server do not drop each other's; the test workers,
  // started after this, inherit the name.
  const template = `doorstep_template_${process.pid}`;
  process.env.DOORSTEP_TEST_TEMPLATE = template;
  await adminQuery(serverUrl, `drop database if exists ${template} with (force)`);
  await adminQuery(serverUrl, `create database ${template}`);
  const { PgStore } = await import('../src/store/pg');
  const store = await PgStore.connect(databaseUrl(serverUrl, template));
  await store.close();
  return async () => {
    await adminQuery(serverUrl, `drop database if exists ${template} with (force)`);
  };
}
