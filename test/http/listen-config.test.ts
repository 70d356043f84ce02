import { describe, expect, it } from 'vitest';
import { isLoopback, parseListen } from '../../src/config/listen-address.js';
import { ConfigError, loadConfig } from '../../src/config/load-config.js';

const SCENARIO = 'test/fixtures/scenario.yaml';
const TOKEN = 'r'.repeat(20);

describe('http.listen / HTTP_LISTEN', () => {
  it('parses host:port, [v6]:port and a bare port', () => {
    expect(parseListen('127.0.0.1:3000')).toEqual({ host: '127.0.0.1', port: 3000 });
    expect(parseListen('[::1]:8080')).toEqual({ host: '::1', port: 8080 });
    expect(parseListen('0.0.0.0:0')).toEqual({ host: '0.0.0.0', port: 0 });
    expect(parseListen('3000')).toEqual({ host: '127.0.0.1', port: 3000 });
    expect(parseListen('localhost:99999')).toBe('port 99999 is out of range');
    expect(parseListen('::1:3000')).toMatch(/is not host:port/);
  });

  it('knows the loopback addresses', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', '::1', 'localhost', 'LOCALHOST', '::ffff:127.0.0.1']) expect(isLoopback(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '10.0.0.5', '192.168.1.2', 'example.com', '128.0.0.1']) expect(isLoopback(h), h).toBe(false);
  });

  it('is off unless set; the environment overrides the file', () => {
    expect(loadConfig({}, SCENARIO).http.listen).toBeUndefined();
    expect(loadConfig({ HTTP_LISTEN: '127.0.0.1:3001' }, SCENARIO).http.listen).toEqual({ host: '127.0.0.1', port: 3001 });
  });

  it('without HTTP_READ_TOKEN, refuses anything but loopback in one line', () => {
    const e = (() => {
      try {
        loadConfig({ HTTP_LISTEN: '0.0.0.0:3000' }, SCENARIO);
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as Error).message).toBe('env HTTP_LISTEN: 0.0.0.0 is not a loopback address; set HTTP_READ_TOKEN (and HTTP_ADMIN_TOKEN for admin routes) to serve beyond this machine');
    expect(loadConfig({ HTTP_LISTEN: '0.0.0.0:3000', HTTP_READ_TOKEN: TOKEN }, SCENARIO).http.listen).toEqual({ host: '0.0.0.0', port: 3000 });
  });

  it('tokens are at least 16 characters and are redacted from logs (config.secrets)', () => {
    expect(() => loadConfig({ HTTP_READ_TOKEN: 'short' }, SCENARIO)).toThrow('env HTTP_READ_TOKEN: must be at least 16 characters');
    const c = loadConfig({ HTTP_READ_TOKEN: TOKEN, HTTP_ADMIN_TOKEN: 'a'.repeat(24) }, SCENARIO);
    expect(c.secrets).toEqual(expect.arrayContaining([TOKEN, 'a'.repeat(24)]));
  });
});
