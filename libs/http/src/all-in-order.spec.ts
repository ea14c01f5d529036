import { allInOrder } from './all-in-order';

const later = <T>(ms: number, value: T, fail = false) =>
  new Promise<T>((resolve, reject) => setTimeout(() => (fail ? reject(value) : resolve(value)), ms));

describe('allInOrder', () => {
  it('answers every value in the order given', async () => {
    await expect(allInOrder([later(20, 'a'), later(5, 2), Promise.resolve(true)])).resolves.toEqual([
      'a',
      2,
      true,
    ]);
  });

  it('throws the failure listed first, not the one that came first', async () => {
    await expect(
      allInOrder([
        later(5, 'fine'),
        later(30, new Error('first in the list'), true),
        later(1, new Error('sooner'), true),
      ]),
    ).rejects.toThrow('first in the list');
  });

  it('waits for the others before throwing, so none is left running', async () => {
    let done = false;
    await expect(
      allInOrder([Promise.reject(new Error('at once')), later(20, null).then(() => (done = true))]),
    ).rejects.toThrow('at once');
    expect(done).toBe(true);
  });
});
