import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { CONTRACTS_ENV, ContractMissingError, contractPath, contractsDir, readContract, UNCHECKED_ENV } from '../fakes/contracts';
import { OpenApiValidator } from '../fakes/chatwoot/openapi-validator';

const ROOT = path.resolve(__dirname, '../..');
const FILES = ['chatwoot-4.13.swagger.json', 'typebot-chat-api.openapi.json'];

describe('the official definitions the strict fakes use', () => {
  test.each(FILES)('%s is read from the shared contracts beside the clone and is an OpenAPI document', (file) => {
    expect(contractPath(file)).toBe(path.join(path.resolve(ROOT, '..', 'shared', 'contracts'), file));
    const doc = readContract(contractPath(file)) as { paths?: object; openapi?: string; swagger?: string };
    expect(Object.keys(doc.paths ?? {}).length).toBeGreaterThan(10);
    expect(doc.openapi ?? doc.swagger).toBeDefined();
  });

  // The demo runs the fakes compiled under dist/ (npm test builds first): they look in the same place.
  test.each(FILES)('%s is found from the compiled fakes in dist/', (file) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the compiled file in dist/, found at run time
    const compiled = require(path.join(ROOT, 'dist/test/fakes/contracts/index.js')) as { contractPath: (f: string) => string };
    expect(compiled.contractPath(file)).toBe(contractPath(file));
  });

  test('no copy of an official definition is committed', () => {
    const digest = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
    const official = new Set(
      readdirSync(contractsDir())
        .filter((f) => f.endsWith('.json'))
        .map((f) => digest(path.join(contractsDir(), f))),
    );
    const tracked = execFileSync('git', ['ls-files', '-z', '*.json'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
    expect(tracked.filter((f) => existsSync(path.join(ROOT, f)) && official.has(digest(path.join(ROOT, f))))).toEqual([]);
  });

  describe('when the definitions are absent', () => {
    const saved = { ...process.env };
    afterEach(() => {
      process.env[CONTRACTS_ENV] = saved[CONTRACTS_ENV];
      process.env[UNCHECKED_ENV] = saved[UNCHECKED_ENV];
      if (saved[CONTRACTS_ENV] === undefined) delete process.env[CONTRACTS_ENV];
      if (saved[UNCHECKED_ENV] === undefined) delete process.env[UNCHECKED_ENV];
    });

    test('a strict fake refuses to start with one line that says where it looked and how to point elsewhere', () => {
      process.env[CONTRACTS_ENV] = path.join(ROOT, 'no-such-contracts');
      const err = (() => {
        try {
          new OpenApiValidator(contractPath('chatwoot-4.13.swagger.json'));
        } catch (e) {
          return e as Error;
        }
        return undefined;
      })();
      expect(err).toBeInstanceOf(ContractMissingError);
      expect(err!.message).not.toContain('\n');
      expect(err!.message).toContain(path.join(ROOT, 'no-such-contracts', 'chatwoot-4.13.swagger.json'));
      expect(err!.message).toContain(CONTRACTS_ENV);
    });

    test("the demo's stand-ins run unchecked", () => {
      process.env[CONTRACTS_ENV] = path.join(ROOT, 'no-such-contracts');
      process.env[UNCHECKED_ENV] = '1';
      const unchecked = new OpenApiValidator(contractPath('chatwoot-4.13.swagger.json'));
      expect(unchecked.unchecked).toBe(true);
      expect(unchecked.requestValidator('post', '/api/v1/accounts/{account_id}/contacts')).toBeNull();
      expect(unchecked.hasResponseSchema('post', '/api/v1/accounts/{account_id}/contacts', 200)).toBe(false);
    });

    test(`${CONTRACTS_ENV} names another folder`, () => {
      process.env[CONTRACTS_ENV] = contractsDir();
      expect(contractPath('x.json')).toBe(path.join(contractsDir(), 'x.json'));
      process.env[CONTRACTS_ENV] = '/opt/contracts';
      expect(contractPath('x.json')).toBe('/opt/contracts/x.json');
    });
  });
});
