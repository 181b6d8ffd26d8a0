import nock from 'nock';

/**
 * Unit tests that answer HTTP with nock. Loading nock patches Node's `http` module, which Jest shares between the
 * test files of one worker; without `restore()` every later file in that worker (real servers, real Redis) goes
 * through nock's socket mock and meets ECONNRESET/ECANCELED under load. So a file that uses nock gives `http`
 * back when it ends.
 */
export function nockOffline(): void {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => {
    nock.enableNetConnect();
    nock.restore();
  });
}
