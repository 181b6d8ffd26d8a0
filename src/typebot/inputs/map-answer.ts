import type { UserAnswer } from '../../bots/ports';
import type { Language } from '../../core/catalog';
import { mapChoiceAnswer } from './choice';
import { mapFileAnswer } from './file';
import { readInputState } from './input-state';
import { mapPaymentAnswer } from './payment';
import { mapPlainAnswer } from './plain';
import { mapRatingAnswer } from './rating';
import { mapTextAnswer } from './text';
import type { MappedAnswer } from './types';

/**
 * The user's answer as Typebot takes it, or a refusal to show them. `rawState` is `AwaitedInput.state`
 * as read back from Redis; one Ponte cannot read passes the text through and lets Typebot judge.
 */
export function mapAnswer(rawState: unknown, answer: UserAnswer, lang: Language): MappedAnswer {
  const state = readInputState(rawState);
  switch (state?.kind) {
    case 'choice':
      return mapChoiceAnswer(state, answer, lang);
    case 'rating':
      return mapRatingAnswer(state, answer, lang);
    case 'file':
      return mapFileAnswer(state, answer, lang);
    case 'text':
      return mapTextAnswer(state, answer);
    case 'payment':
      return mapPaymentAnswer();
    default:
      return mapPlainAnswer(answer);
  }
}
