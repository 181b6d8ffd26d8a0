import nock from 'nock';
import { nockOffline } from '../../helpers/nock-offline';
import { FlowFailedError, FlowGoneError } from '../../../src/bots/ports';
import { TypebotResultsClient } from '../../../src/typebot/results-client';
import { readFixture } from './fixtures';

const BUILDER = 'https://builder.example.com';

nockOffline();

test("reads a result's variables by name with the Bearer token: lists joined, numbers as text, unset ones left out", async () => {
  const scope = nock(BUILDER, { reqheaders: { authorization: 'Bearer builder-token' } })
    .get('/api/v1/typebots/cm9typebot0001/results/cm9res0001abcd')
    .reply(200, readFixture('results.response.json'));
  const calls: unknown[] = [];
  const results = new TypebotResultsClient({
    baseUrl: BUILDER,
    apiToken: 'builder-token',
    timeoutMs: 1000,
    onCall: (...a) => calls.push(a),
  });
  await expect(results.variables('cm9typebot0001', 'cm9res0001abcd')).resolves.toEqual({
    Name: 'Ana Silva',
    Toppings: 'Queijo, Fiambre',
    Age: '34',
    Session: 's1',
    Empty: '',
  });
  expect(calls).toEqual([['results', 'ok', expect.any(Number)]]);
  scope.done();
});

test('an unknown result is FlowGoneError, a bad token FlowFailedError(401)', async () => {
  nock(BUILDER).get('/api/v1/typebots/t/results/r').reply(404, { code: 'NOT_FOUND', status: 404, message: 'Result not found' });
  const results = new TypebotResultsClient({ baseUrl: BUILDER, apiToken: 'x', timeoutMs: 1000 });
  await expect(results.variables('t', 'r')).rejects.toBeInstanceOf(FlowGoneError);
  nock(BUILDER).get('/api/v1/typebots/t/results/r').reply(401, { code: 'UNAUTHORIZED', status: 401, message: 'Unauthorized' });
  const err = await results.variables('t', 'r').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(FlowFailedError);
  expect((err as FlowFailedError).status).toBe(401);
});
