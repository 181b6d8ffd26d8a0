import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { contractPath } from '../fakes/contracts';

const SHARED = '/work/shared/contracts';
const FILES = ['chatwoot-4.13.swagger.json', 'typebot-chat-api.openapi.json'];

describe('the OpenAPI files the strict fakes use', () => {
  test.each(FILES)('%s is in the repository and is an OpenAPI document', (file) => {
    const doc = JSON.parse(readFileSync(contractPath(file), 'utf8')) as { paths?: object; openapi?: string; swagger?: string };
    expect(Object.keys(doc.paths ?? {}).length).toBeGreaterThan(10);
    expect(doc.openapi ?? doc.swagger).toBeDefined();
  });

  // The demo runs the fakes compiled under dist/ (npm test builds first): they must find the files too.
  test.each(FILES)('%s is found from the compiled fakes in dist/', (file) => {
    const compiled = require(path.join(__dirname, '../../dist/test/fakes/contracts/index.js')) as { contractPath: (f: string) => string };
    expect(existsSync(compiled.contractPath(file))).toBe(true);
  });

  // Where the team's shared contracts are present (the CI machine), the copies must not drift from them.
  test.each(FILES)('%s is identical to the shared contract when that is present', (file) => {
    const shared = `${SHARED}/${file}`;
    const copy = readFileSync(contractPath(file));
    expect(existsSync(shared) ? Buffer.compare(copy, readFileSync(shared)) : 0).toBe(0);
  });
});
