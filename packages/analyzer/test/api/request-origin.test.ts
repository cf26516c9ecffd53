import { hostname, networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { hostNameOf, ownHostNames } from '../../src/api/request-origin.js';

describe('hostNameOf', () => {
  it.each([
    ['127.0.0.1:4320', '127.0.0.1'],
    ['LocalHost:4320', 'localhost'],
    ['[::1]:4320', '::1'],
    ['[::1]', '::1'],
    ['example.org', 'example.org'],
  ])('reads %s as %s', (header, name) => {
    expect(hostNameOf(header)).toBe(name);
  });
});

describe('ownHostNames', () => {
  it('holds loopback and the bound address, and not another name', () => {
    const names = ownHostNames('10.1.2.3');
    expect([...names]).toEqual(expect.arrayContaining(['localhost', '127.0.0.1', '::1', '10.1.2.3']));
    expect(names.has('attacker.example')).toBe(false);
  });

  it("adds the machine's name and interface addresses on a wildcard bind, and not on a named one", () => {
    const machine = hostname().toLowerCase();
    const address = Object.values(networkInterfaces())
      .flat()
      .find((entry) => entry && !entry.internal)?.address;
    expect(ownHostNames('0.0.0.0').has(machine)).toBe(true);
    expect(ownHostNames('127.0.0.1').has(machine)).toBe(machine === 'localhost');
    if (address) expect(ownHostNames('::').has(address.toLowerCase())).toBe(true);
  });
});
