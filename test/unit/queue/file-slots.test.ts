import { FileSlots, NoFileSlotError, SMALL_FILE_BYTES } from '../../../src/queue/file-slots';
import { NotYetError } from '../../../src/queue/errors';

describe('FileSlots: files in flight per daemon', () => {
  test('no more than the limit at once; one without a slot is handed back (not yet), never dropped', () => {
    const slots = new FileSlots(2);
    const a = slots.take('a');
    slots.take('b');
    const refused = (() => {
      try {
        slots.take('c');
      } catch (err) {
        return err;
      }
    })();
    expect(refused).toBeInstanceOf(NoFileSlotError);
    expect(refused).toBeInstanceOf(NotYetError);
    expect(slots.inFlight()).toBe(2);
    a();
    a(); // given back twice counts once
    expect(slots.inFlight()).toBe(1);
    slots.take('c');
    expect(slots.inFlight()).toBe(2);
  });

  test('waiters are served in arrival order: a file that waits is not overtaken by one arriving later', () => {
    const slots = new FileSlots(1);
    const first = slots.take('first');
    expect(() => slots.take('waits-1')).toThrow(NoFileSlotError);
    expect(() => slots.take('waits-2')).toThrow(NoFileSlotError);
    first();
    expect(() => slots.take('newcomer')).toThrow(NoFileSlotError);
    expect(() => slots.take('waits-2')).toThrow(NoFileSlotError);
    const one = slots.take('waits-1');
    one();
    expect(() => slots.take('newcomer')).toThrow(NoFileSlotError);
    slots.take('waits-2');
  });

  test('a waiter that stopped asking loses its place', () => {
    let now = 0;
    const slots = new FileSlots(1, () => now);
    const first = slots.take('first');
    expect(() => slots.take('gone')).toThrow(NoFileSlotError);
    first();
    now += 10_000;
    expect(() => slots.take('next')).not.toThrow();
  });

  test('only files above 1 MB, or of a size not told, take a slot', () => {
    expect(FileSlots.counts(SMALL_FILE_BYTES)).toBe(false);
    expect(FileSlots.counts(300 * 1024)).toBe(false);
    expect(FileSlots.counts(SMALL_FILE_BYTES + 1)).toBe(true);
    expect(FileSlots.counts(undefined)).toBe(true);
  });
});
