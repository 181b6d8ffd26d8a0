import { isMediaKind } from '../../src/core/messages';
test('media kinds are recognised', () => {
  expect(isMediaKind('image')).toBe(true);
  expect(isMediaKind('text')).toBe(false);
});
