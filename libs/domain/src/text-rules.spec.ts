import fc from 'fast-check';
import { incomeSupportCombinationProblem } from './income-support';
import { isWellFormedText, normaliseText, textProblem } from './text-rules';

describe('text rules', () => {
  it.each(['\u0000', 'a\u0001b', '\u007f', '\u0085', 'a\nb', 'tab\there'])(
    'refuses %p in single-line text',
    (v) => {
      expect(textProblem(v)).not.toBeNull();
    },
  );

  it('allows tab and line breaks in multi-line text, nothing else', () => {
    expect(textProblem('rad ett\r\nrad två\tflik', { multiline: true })).toBeNull();
    expect(textProblem('rad\u0000', { multiline: true })).not.toBeNull();
  });

  it('refuses lone surrogates and accepts pairs', () => {
    expect(textProblem('\ud800')).toContain('surrogate');
    expect(textProblem('x\udc00y')).toContain('surrogate');
    expect(textProblem('😀 Förbund')).toBeNull();
  });

  it('agrees with String.prototype.isWellFormed on any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const native = (s as unknown as { isWellFormed?: () => boolean }).isWellFormed?.();
        return native === undefined || isWellFormedText(s) === native;
      }),
    );
  });

  it('stores trimmed NFC', () => {
    expect(normaliseText('  Fo\u0308rbund ')).toBe('F\u00f6rbund');
  });

  it('income support: none and unspecified stand alone', () => {
    expect(incomeSupportCombinationProblem(['none'])).toBeNull();
    expect(incomeSupportCombinationProblem(['salary', 'social_assistance'])).toBeNull();
    expect(incomeSupportCombinationProblem(['none', 'salary'])).toContain('none');
    expect(incomeSupportCombinationProblem(['social_assistance', 'unspecified'])).toContain('unspecified');
  });
});
