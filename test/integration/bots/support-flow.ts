import { choiceInput, textInput, type FlowDefinition } from '../../fakes/typebot';

/** A support flow: a greeting, a choice, a free-text question on either branch, a thank-you. */
export const SUPPORT_STEPS: FlowDefinition['steps'] = [
  { bubbles: ['Olá! Sou o assistente.'] },
  {
    id: 'topic',
    bubbles: ['Em que posso ajudar?'],
    input: choiceInput('Topic', [
      { id: 'orders', content: 'Encomendas' },
      { id: 'invoice', content: 'Faturas', next: 'doc' },
    ]),
    next: 'order',
  },
  { id: 'doc', bubbles: ['Envie a fatura, por favor.'], input: textInput('Invoice') },
  { id: 'order', bubbles: ['Qual é o número da encomenda?'], input: textInput('Order') },
  { bubbles: ['Obrigado!'] },
];
