import {
  TypebotFake,
  choiceInput,
  fileInput,
  image,
  leaf,
  link,
  list,
  paragraph,
  redirect,
  rich,
  slate,
  textInput,
  video,
  wait,
} from '../../fakes/typebot';
import type { FlowDefinition } from '../../fakes/typebot';
import { chatClient, plain } from './helpers';

const support: FlowDefinition = {
  typebotId: 'tb-support',
  variables: ['Name'],
  steps: [
    { id: 'hello', bubbles: ['Hello *{{Name}}*!', image('https://cdn.example.com/logo.png')] },
    {
      id: 'topic',
      bubbles: ['What do you need?'],
      input: choiceInput('Topic', [
        { id: 'billing', content: 'Billing' },
        { id: 'bug', content: 'Report a bug', value: 'bug-report', next: 'evidence' },
        { id: 'other', content: 'Something else', next: 'free-text' },
      ]),
      next: 'bye',
    },
    { id: 'free-text', bubbles: ['Tell me more'], input: textInput('Details'), next: 'bye' },
    {
      id: 'evidence',
      bubbles: ['Send a screenshot (PNG or PDF)'],
      input: fileInput('Evidence', { allowedFileTypes: ['png', 'application/pdf'] }),
    },
    { id: 'hold', bubbles: ['One moment…'], actions: [wait(2, { expectsDedicatedReply: true })] },
    {
      id: 'bye',
      bubbles: ['Thanks, {{Name}}. Ticket about _{{Topic}}_ opened.', video('https://cdn.example.com/how.mp4')],
      actions: [redirect('https://example.com/ticket')],
    },
  ],
};

describe('TypebotFake: a scripted flow end to end', () => {
  let fake: TypebotFake;
  let api: ReturnType<typeof chatClient>;

  beforeAll(async () => {
    fake = await TypebotFake.start({ flows: { support } });
    api = chatClient(fake);
  });
  afterAll(() => fake.stop());
  afterEach(() => {
    expect(fake.rejections).toEqual([]);
    fake.reset();
  });

  test('bubbles, single choice with branching, file input, paused wait, end: session deleted, result completed', async () => {
    const start = await api.start('support', { prefilledVariables: { Name: 'João', Unknown: 'ignored' } });
    expect(start.status).toBe(200);
    const { sessionId, resultId } = start.data;
    expect(start.data.typebot).toMatchObject({ id: 'tb-support', version: '6' });
    expect(start.data.messages.map((m: { type: string }) => m.type)).toEqual(['text', 'image', 'text']);
    expect(start.data.messages[0].content.richText).toEqual([
      { type: 'p', children: [{ text: 'Hello ' }, { text: 'João', bold: true }, { text: '!' }] },
    ]);
    expect(start.data.input).toMatchObject({
      id: 'topic-input',
      type: 'choice input',
      items: [
        { id: 'billing', content: 'Billing' },
        { id: 'bug', content: 'Report a bug', value: 'bug-report' },
        { id: 'other', content: 'Something else' },
      ],
    });
    expect(start.data.clientSideActions).toBeUndefined();

    const chosen = await api.reply(sessionId, { message: { type: 'text', text: 'Report a bug', metadata: { replyId: 'bug' } } });
    expect(chosen.status).toBe(200);
    expect(plain(chosen.data.messages[0])).toBe('Send a screenshot (PNG or PDF)');
    expect(chosen.data.input).toMatchObject({
      type: 'file input',
      options: { allowedFileTypes: { isEnabled: true, types: ['png', 'application/pdf'] } },
    });
    expect(chosen.data.lastMessageNewFormat).toBe('bug-report');

    const files = await api.reply(sessionId, { message: 'https://files.example.com/a.png, https://files.example.com/b.pdf' });
    expect(files.data.input).toBeUndefined();
    expect(plain(files.data.messages[0])).toBe('One moment…');
    expect(files.data.clientSideActions).toEqual([
      { type: 'wait', wait: { secondsToWaitFor: 2 }, expectsDedicatedReply: true, lastBubbleBlockId: 'hold-bubble-1' },
    ]);
    expect(fake.sessions).toEqual([expect.objectContaining({ sessionId, awaiting: 'resume', stepId: 'hold' })]);

    const end = await api.reply(sessionId, {});
    expect(end.status).toBe(200);
    expect(plain(end.data.messages[0])).toBe('Thanks, João. Ticket about bug-report opened.');
    expect(end.data.messages[1]).toMatchObject({ type: 'video', content: { url: 'https://cdn.example.com/how.mp4', type: 'url' } });
    expect(end.data.clientSideActions).toEqual([
      { type: 'redirect', redirect: { url: 'https://example.com/ticket' }, lastBubbleBlockId: 'bye-bubble-2' },
    ]);
    expect(end.data.input).toBeUndefined();

    expect(fake.sessions).toEqual([]);
    expect(fake.result(resultId)).toMatchObject({
      isCompleted: true,
      hasStarted: true,
      variables: { Name: 'João', Topic: 'bug-report', Evidence: 'https://files.example.com/a.png' },
    });
    expect(fake.result(resultId)?.variables).not.toHaveProperty('Unknown');
    expect(fake.answersReceived(sessionId).map((a) => [a.variable, a.content])).toEqual([
      ['Topic', 'bug-report'],
      ['Evidence', 'https://files.example.com/a.png'],
    ]);
    expect(fake.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'POST /api/v1/typebots/support/startChat 200',
      ...Array(3).fill(`POST /api/v1/sessions/${sessionId}/continueChat 200`),
    ]);
  });

  test('a choice item without `next` follows the step; text answer; markdown bubbles on request', async () => {
    const start = await api.start('support', { textBubbleContentFormat: 'markdown' });
    expect(start.data.messages[0].content).toEqual({ type: 'markdown', markdown: 'Hello !' });
    const other = await api.reply(start.data.sessionId, { message: 'Something else', textBubbleContentFormat: 'markdown' });
    expect(other.data.messages[0].content).toEqual({ type: 'markdown', markdown: 'Tell me more' });
    const end = await api.reply(start.data.sessionId, { message: 'My printer is on fire', textBubbleContentFormat: 'markdown' });
    expect(end.data.messages[0].content.markdown).toBe('Thanks, . Ticket about *Something else* opened.');
    expect(fake.result(start.data.resultId)?.variables).toEqual({ Topic: 'Something else', Details: 'My printer is on fire' });
  });

  test('startChat `message` answers a flow that opens with an input; a flow without input completes at once', async () => {
    fake.addFlow('ask-first', { steps: [{ input: textInput('Q') }, { bubbles: [rich('Got {{Q}}')] }] });
    const r = await api.start('ask-first', { message: 'hi there' });
    expect(plain(r.data.messages[0])).toBe('Got hi there');
    expect(r.data.resultId).toBeUndefined();
    expect(fake.sessions).toEqual([]);

    fake.addFlow('no-input', { steps: [{ bubbles: ['Closed today.'] }] });
    const closed = await api.start('no-input');
    expect(plain(closed.data.messages[0])).toBe('Closed today.');
    expect((await api.reply(closed.data.sessionId, { message: 'hello?' })).data.message).toBe('Session not found.');
    fake.reset();
  });

  test('isOnlyRegistering registers the session; the first continueChat runs the flow', async () => {
    const reg = await api.start('support', { isOnlyRegistering: true, prefilledVariables: { Name: 'Ana' } });
    expect(reg.data.messages).toEqual([]);
    expect(reg.data.input).toBeUndefined();
    const first = await api.reply(reg.data.sessionId, {});
    expect(plain(first.data.messages[0])).toBe('Hello Ana!');
    expect(first.data.input.type).toBe('choice input');
  });

  test('rich() syntax and explicit Slate nodes, in both text formats', async () => {
    fake.addFlow('formats', {
      steps: [
        {
          bubbles: [
            rich('*Bold* and _italic_ and __under__, see [docs](https://docs.example.com)\n\n- one\n- two\n1. first'),
            slate(
              paragraph(leaf('Hi '), leaf('there', { bold: true, italic: true })),
              list('ol', 'a', 'b'),
              paragraph(link('https://x.example.com', 'site')),
            ),
          ],
          input: textInput('Any'),
        },
      ],
    });
    const rt = await api.start('formats');
    expect(rt.data.messages[0].content.richText).toEqual([
      {
        type: 'p',
        children: [
          { text: 'Bold', bold: true },
          { text: ' and ' },
          { text: 'italic', italic: true },
          { text: ' and ' },
          { text: 'under', underline: true },
          { text: ', see ' },
          { type: 'a', url: 'https://docs.example.com', children: [{ text: 'docs' }] },
        ],
      },
      { type: 'p', children: [{ text: '' }] },
      {
        type: 'ul',
        children: [
          { type: 'li', children: [{ type: 'lic', children: [{ text: 'one' }] }] },
          { type: 'li', children: [{ type: 'lic', children: [{ text: 'two' }] }] },
        ],
      },
      { type: 'ol', children: [{ type: 'li', children: [{ type: 'lic', children: [{ text: 'first' }] }] }] },
    ]);
    const md = await api.start('formats', { textBubbleContentFormat: 'markdown' });
    expect(md.data.messages.map((m: { content: { markdown: string } }) => m.content.markdown)).toEqual([
      '**Bold** and *italic* and under, see [docs](https://docs.example.com)\n\n- one\n- two\n1. first',
      'Hi ***there***\n1. a\n2. b\n[site](https://x.example.com)',
    ]);
  });
});
