import { describe, expect, it } from 'vitest';
import { DEFAULT_PRIVATE_SITES, hostnameOf, matchPrivateSite, parseSiteList, siteKeyFor } from '../../lib/core/private-sites.ts';

describe('private sites', () => {
  it('a hostname covers its subdomains, not lookalikes', () => {
    const list = ['chase.com'];
    expect(matchPrivateSite('chase.com', list)).toBe('chase.com');
    expect(matchPrivateSite('secure.chase.com', list)).toBe('chase.com');
    expect(matchPrivateSite('notchase.com', list)).toBeUndefined();
    expect(matchPrivateSite('chase.com.evil.example', list)).toBeUndefined();
  });

  it('* matches anything, so the defaults catch common banking and patient-portal hosts', () => {
    expect(matchPrivateSite('online.mybank.co.uk', DEFAULT_PRIVATE_SITES)).toBe('*bank*');
    expect(matchPrivateSite('mychart.example-health.org', DEFAULT_PRIVATE_SITES)).toBe('*mychart*');
    expect(matchPrivateSite('www.paypal.com', DEFAULT_PRIVATE_SITES)).toBe('paypal.com');
    expect(matchPrivateSite('docs.example.com', DEFAULT_PRIVATE_SITES)).toBeUndefined();
    expect(matchPrivateSite(undefined, DEFAULT_PRIVATE_SITES)).toBeUndefined();
  });

  it('the settings box takes one per line, pasted addresses become hostnames', () => {
    expect(parseSiteList(' Chase.com \nhttps://www.Example.org:8443/login?x=1\n\n*bank*, chase.com')).toEqual([
      'chase.com',
      'www.example.org',
      '*bank*',
    ]);
  });

  it('hidden regions are kept per hostname; camera and screen have their own keys', () => {
    expect(siteKeyFor('tab', hostnameOf('https://Docs.Example.com/a'))).toBe('docs.example.com');
    expect(siteKeyFor('camera', 'ignored.example')).toBe('camera');
    expect(siteKeyFor('screen')).toBe('screen');
    expect(hostnameOf('about:blank')).toBeUndefined();
  });
});
