import { describe, expect, it } from 'vitest';
import { ActiveAttempts } from '../src/active-attempts.js';
import { StillRunningSchedule } from '../src/attempt/still-running-schedule.js';

function anAttempt(jobId: string, startedAtMs: number) {
  return {
    descriptor: { queue: 'q', jobName: 'n', jobId },
    traceId: 'a'.repeat(32),
    spanId: jobId.padStart(16, '0'),
    startedAtMs,
  };
}

describe('the registry of running attempts', () => {
  it('lists attempts oldest first and keeps the order when one in the middle ends', () => {
    const registry = new ActiveAttempts();
    const a = registry.add(anAttempt('a', 1));
    const b = registry.add(anAttempt('b', 2));
    const c = registry.add(anAttempt('c', 3));
    registry.remove(b);
    expect(registry.list().map((x) => x.descriptor.jobId)).toEqual(['a', 'c']);
    expect(registry.size).toBe(2);
    registry.remove(a);
    registry.remove(c);
    expect(registry.list()).toEqual([]);
    expect(registry.oldestAgeSeconds(10)).toBe(0);
  });

  it('ignores a second removal of the same attempt', () => {
    const registry = new ActiveAttempts();
    const a = registry.add(anAttempt('a', 1));
    const b = registry.add(anAttempt('b', 2));
    const removed: string[] = [];
    registry.onChange((attempt, gone) => gone && removed.push(attempt.descriptor.jobId));
    registry.remove(a);
    registry.remove(a);
    expect(removed).toEqual(['a']);
    expect(registry.list()).toEqual([b]);
    expect(registry.size).toBe(1);
  });

  it('names the most silent and the most recently active attempt, the later added on a tie', () => {
    const registry = new ActiveAttempts();
    const a = registry.add(anAttempt('a', 1000));
    const b = registry.add(anAttempt('b', 1000));
    expect(registry.mostRecentlyActive()).toBe(b);
    registry.enterStep(a, 'fetch', 5000);
    expect(registry.mostRecentlyActive()).toBe(a);
    expect(registry.mostSilent(7000)).toEqual({ attempt: b, silenceSeconds: 6 });
    expect(registry.oldestAgeSeconds(7000)).toBe(6);
  });
});

describe('the still-running schedule', () => {
  it('calls every attempt still held when it is due, whatever order they left in', async () => {
    const called: string[] = [];
    const schedule = new StillRunningSchedule<{ name: string; dueMs: number; scheduleIndex: number }>(
      (target) => {
        called.push(target.name);
        return Date.now() + 60_000;
      },
      (error) => {
        throw error;
      },
    );
    const due = Date.now() + 20;
    const targets = ['a', 'b', 'c', 'd'].map((name) => ({ name, dueMs: due, scheduleIndex: -1 }));
    for (const target of targets) schedule.add(target);
    schedule.remove(targets[0]);
    schedule.remove(targets[0]);
    schedule.remove(targets[2]);
    await new Promise((resolve) => setTimeout(resolve, 60));
    schedule.stop();
    expect(called.sort()).toEqual(['b', 'd']);
  });
});
