import { describe, expect, it } from 'vitest';
import { ChildExceptionTypes } from '../../src/model/child-exception-types.js';

describe('ChildExceptionTypes', () => {
  it('hands out the first exception noted for a parent, once', () => {
    const noted = new ChildExceptionTypes(10);
    noted.note('p1', { errorType: 'First' });
    noted.note('p1', { errorType: 'Second' });
    expect(noted.take('p1')).toEqual({ errorType: 'First' });
    expect(noted.take('p1')).toBeUndefined();
  });

  it('forgets the oldest parents past its bound', () => {
    const noted = new ChildExceptionTypes(3);
    for (let i = 0; i < 5; i++) noted.note(`p${i}`, { errorType: `E${i}` });
    expect(noted.size).toBe(3);
    expect(noted.take('p0')).toBeUndefined();
    expect(noted.take('p1')).toBeUndefined();
    expect(noted.take('p4')).toEqual({ errorType: 'E4' });
  });
});
