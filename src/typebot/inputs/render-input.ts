import type { Language } from '../../core/catalog';
import type { ChatInput } from '../chat-api-types';
import { renderCards } from './cards';
import { renderChoice } from './choice';
import { renderFile } from './file';
import { renderPayment } from './payment';
import { renderPictureChoice } from './picture-choice';
import { renderPlain } from './plain';
import { renderRating } from './rating';
import { renderText } from './text';
import type { RenderedInput } from './types';

/** What the user is shown and what Ponte keeps for the input a flow waits for. */
export function renderInput(input: ChatInput, lang: Language): RenderedInput {
  switch (input.type) {
    case 'choice input':
      return renderChoice(input, lang);
    case 'picture choice input':
      return renderPictureChoice(input, lang);
    case 'cards':
      return renderCards(input, lang);
    case 'rating input':
      return renderRating(input, lang);
    case 'file input':
      return renderFile(input);
    case 'text input':
      return renderText(input);
    case 'payment input':
      return renderPayment(input);
    default:
      return renderPlain(input);
  }
}
