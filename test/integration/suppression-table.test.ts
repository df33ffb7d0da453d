import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { beforeAll } from 'vitest';
import { createTableSuppressionStore } from '../../lib/aws/suppression-table.ts';
import { describeSuppressionStore } from '../helpers/suppression-contract.ts';
import { createSuppressionTable, motoClientConfig, resetMoto } from './moto.ts';

let client: DynamoDBClient;
let tables = 0;

beforeAll(async () => {
  await resetMoto();
  client = new DynamoDBClient(motoClientConfig());
});

/** A fresh table per test, created exactly as infra/ creates it (on-demand, TTL on expiresAt). */
async function freshTable(): Promise<string> {
  const name = `sagewatch-suppression-${++tables}`;
  await createSuppressionTable(client, name);
  return name;
}

describeSuppressionStore('DynamoDB table (moto)', async () =>
  createTableSuppressionStore(client, await freshTable()),
);
