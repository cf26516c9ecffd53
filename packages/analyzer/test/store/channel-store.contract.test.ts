import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ChannelStore } from '../../src/alerts/channel-store.js';
import { type BackendUnderTest, storeBackends } from './store-backends.js';

const backends = storeBackends();
afterAll(async () => {
  for (const backend of backends) await backend.dispose();
});

describe.each(backends)('the channel store on $name', (backend) => {
  let current: BackendUnderTest | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  async function open(owner?: string): Promise<ChannelStore> {
    current ??= await backend.fresh();
    return current.stores(owner).channels;
  }

  it('gives back stored channels by name, with their match, and counts them', async () => {
    const store = await open();
    await store.add({ config: { name: 'ops', type: 'slack', url: 'https://hooks.example/o' }, createdAt: 2 });
    await store.add({
      config: { name: 'billing', type: 'slack', url: 'https://hooks.example/b' },
      match: { severity: ['critical'] },
      createdAt: 1,
    });
    expect(await store.count()).toBe(2);
    expect(await store.list()).toEqual([
      {
        config: { name: 'billing', type: 'slack', url: 'https://hooks.example/b' },
        match: { severity: ['critical'] },
        createdAt: 1,
      },
      { config: { name: 'ops', type: 'slack', url: 'https://hooks.example/o' }, createdAt: 2 },
    ]);
  });

  it('refuses a second channel of the same name', async () => {
    const store = await open();
    const channel = {
      config: { name: 'ops', type: 'slack' as const, url: 'https://hooks.example/o' },
      createdAt: 1,
    };
    await store.add(channel);
    await expect(store.add(channel)).rejects.toThrow();
    expect(await store.count()).toBe(1);
  });

  it('removes a channel, saying whether there was one', async () => {
    const store = await open();
    await store.add({ config: { name: 'ops', type: 'slack', url: 'https://hooks.example/o' }, createdAt: 1 });
    expect(await store.remove('ops')).toBe(true);
    expect(await store.remove('ops')).toBe(false);
    expect(await store.list()).toEqual([]);
  });

  it('shows a channel one analyzer created to another on the same database', async () => {
    current = await backend.fresh();
    await current
      .stores('analyzer-a')
      .channels.add({ config: { name: 'ops', type: 'slack', url: 'https://hooks.example/o' }, createdAt: 1 });
    expect((await current.stores('analyzer-b').channels.list()).map((c) => c.config.name)).toEqual(['ops']);
  });
});
