import {
  TypebotFake,
  choiceInput,
  dateInput,
  emailInput,
  fileInput,
  numberInput,
  phoneInput,
  pictureChoiceInput,
  ratingInput,
  textInput,
  urlInput,
} from '../../fakes/typebot';
import type { InputSpec } from '../../fakes/typebot';
import { chatClient, plain } from './helpers';

/** CONTRACTS.md "Answer matching", over HTTP: each case is a one-question bot. */
describe('TypebotFake answer matching', () => {
  let fake: TypebotFake;
  let api: ReturnType<typeof chatClient>;
  let n = 0;

  beforeAll(async () => {
    fake = await TypebotFake.start();
    api = chatClient(fake);
  });
  afterAll(() => fake.stop());
  afterEach(() => expect(fake.rejections).toEqual([]));

  async function ask(
    input: InputSpec,
    invalidMessage?: string,
  ): Promise<{ sessionId: string; resultId: string; input: Record<string, unknown> }> {
    const publicId = `q${++n}`;
    fake.addFlow(publicId, { invalidMessage, steps: [{ bubbles: ['Question?'], input }, { bubbles: ['Done'] }] });
    const r = await api.start(publicId);
    return { sessionId: r.data.sessionId, resultId: r.data.resultId, input: r.data.input };
  }

  /** Sends one answer: `accepted` with the stored content, or rejected with the retry text and the same input. */
  async function answer(
    s: { sessionId: string; resultId: string; input: unknown },
    message: unknown,
  ): Promise<{ accepted: boolean; stored?: string; retry?: string; data: Record<string, unknown> }> {
    const r = await api.reply(s.sessionId, { message });
    expect(r.status).toBe(200);
    const first = r.data.messages[0];
    if (r.data.input) {
      expect(r.data.input).toEqual(s.input);
      return { accepted: false, retry: plain(first), data: r.data };
    }
    expect(plain(first)).toBe('Done');
    const answers = fake.answersReceived(s.resultId);
    return { accepted: true, stored: answers[answers.length - 1]?.content, data: r.data };
  }

  const fruits = () => choiceInput('Fruit', [{ content: 'Apple' }, { content: 'Banana', value: 'banana-v' }, { content: 'Cherry' }]);

  test('single choice: "1" is NOT an answer (retry bubble + same input); replyId, id, value and content are', async () => {
    const s = await ask(fruits());
    expect(await answer(s, '1')).toMatchObject({ accepted: false, retry: 'Invalid message. Please, try again.' });
    const items = s.input.items as Array<{ id: string }>;
    expect(await answer(s, { type: 'text', text: 'whatever the button said', metadata: { replyId: items[2].id } })).toMatchObject({
      accepted: true,
      stored: 'Cherry',
    });

    expect(await answer(await ask(fruits()), '  Apple ')).toMatchObject({ accepted: true, stored: 'Apple' });
    expect(await answer(await ask(fruits()), 'banana-v')).toMatchObject({ accepted: true, stored: 'banana-v' });
    expect(await answer(await ask(fruits()), 'apple')).toMatchObject({ accepted: false });
    const byId = await ask(fruits());
    expect(await answer(byId, (byId.input.items as Array<{ id: string }>)[0].id)).toMatchObject({ accepted: true, stored: 'Apple' });
  });

  test('multiple choice: 1-based indexes, ids, values and contents; flow order in the stored content', async () => {
    const multi = () =>
      choiceInput('Fruits', [{ content: 'Apple' }, { content: 'Banana', value: 'banana-v' }, { content: 'Cherry' }], {
        isMultipleChoice: true,
      });
    expect(await answer(await ask(multi()), '1, 3')).toMatchObject({ accepted: true, stored: 'Apple, Cherry' });
    expect(await answer(await ask(multi()), 'Cherry and banana-v')).toMatchObject({ accepted: true, stored: 'banana-v, Cherry' });
    expect(await answer(await ask(multi()), '7')).toMatchObject({ accepted: false });
  });

  test('picture choice matches the title or the value, not an index', async () => {
    const pics = () =>
      pictureChoiceInput('Pic', [
        { pictureSrc: 'https://x.example.com/a.png', title: 'Red' },
        { pictureSrc: 'https://x.example.com/b.png', title: 'Blue', value: 'blue' },
      ]);
    expect(await answer(await ask(pics()), 'Blue')).toMatchObject({ accepted: true, stored: 'blue' });
    expect(await answer(await ask(pics()), '2')).toMatchObject({ accepted: false });
  });

  test('file input: valid URLs joined by ", ", allowedFileTypes by extension, single file keeps the first', async () => {
    expect(
      await answer(await ask(fileInput('F', { isMultipleAllowed: true })), 'https://a.example.com/x.pdf, https://a.example.com/y.png'),
    ).toMatchObject({ accepted: true, stored: 'https://a.example.com/x.pdf, https://a.example.com/y.png' });
    expect(await answer(await ask(fileInput('F')), 'https://a.example.com/x.pdf\nhttps://a.example.com/y.png')).toMatchObject({
      accepted: true,
      stored: 'https://a.example.com/x.pdf',
    });
    expect(await answer(await ask(fileInput('F')), 'not a url')).toMatchObject({ accepted: false });
    const pdfOnly = () => fileInput('F', { allowedFileTypes: ['.pdf', 'image/*'] });
    expect(await answer(await ask(pdfOnly()), 'https://a.example.com/x.exe')).toMatchObject({ accepted: false });
    expect(await answer(await ask(pdfOnly()), 'https://a.example.com/photo.JPG')).toMatchObject({ accepted: true });
    // The extension is whatever follows the last "." of the URL: a signed URL's query string fails the check.
    expect(await answer(await ask(pdfOnly()), 'https://a.example.com/x.pdf?sig=abc')).toMatchObject({ accepted: false });
    expect(
      await answer(await ask(fileInput('F')), { type: 'text', text: '', attachedFileUrls: ['http://localhost:9/m.ogg'] }),
    ).toMatchObject({ accepted: true, stored: 'http://localhost:9/m.ogg' });
    expect(await answer(await ask(fileInput('F', { isRequired: false })), null)).toMatchObject({ accepted: true, stored: undefined });
  });

  test('email, url, phone, number, date and rating are validated and normalized', async () => {
    const email = await ask(emailInput('E', { retryMessageContent: 'That is not an email' }));
    expect(await answer(email, 'nope@')).toMatchObject({ accepted: false, retry: 'That is not an email' });
    const ok = await answer(email, 'Ana@Example.COM');
    expect(ok).toMatchObject({ accepted: true, stored: 'ana@example.com' });
    expect(ok.data.lastMessageNewFormat).toBe('ana@example.com');

    expect(await answer(await ask(urlInput('U')), 'example.com/path')).toMatchObject({ accepted: true });
    expect(await answer(await ask(urlInput('U')), 'not a url')).toMatchObject({ accepted: false });
    expect(await answer(await ask(phoneInput('P', { defaultCountryCode: 'BR' })), '(11) 98888-7777')).toMatchObject({
      accepted: true,
      stored: '+5511988887777',
    });
    expect(await answer(await ask(phoneInput('P')), '+55 11 98888 7777')).toMatchObject({ accepted: true, stored: '+5511988887777' });
    expect(await answer(await ask(phoneInput('P')), '98888')).toMatchObject({ accepted: false });
    expect(await answer(await ask(numberInput('N', { min: 1, max: 10 })), '7,5')).toMatchObject({ accepted: true, stored: '7,5' });
    expect(await answer(await ask(numberInput('N', { min: 1, max: 10 })), '11')).toMatchObject({ accepted: false });
    expect(await answer(await ask(numberInput('N')), 'twelve')).toMatchObject({ accepted: false });
    expect(await answer(await ask(dateInput('D')), '2026-03-09')).toMatchObject({ accepted: true, stored: '09/03/2026' });
    // chrono reads day-first only when the block format starts with "dd"; otherwise 01/02 is January 2nd.
    expect(await answer(await ask(dateInput('D', { isRange: true, format: 'yyyy-MM-dd' })), '01/02/2026 to 05/02/2026')).toMatchObject({
      accepted: true,
      stored: '2026-01-02 to 2026-05-02',
    });
    expect(await answer(await ask(dateInput('D')), 'soon')).toMatchObject({ accepted: false });
    expect(await answer(await ask(ratingInput('R', { length: 5 })), '4')).toMatchObject({ accepted: true, stored: '4' });
    expect(await answer(await ask(ratingInput('R', { length: 5 })), '6')).toMatchObject({ accepted: false });
  });

  test('the retry text comes from the flow invalidMessage; text input takes anything, audio included', async () => {
    expect(await answer(await ask(numberInput('N'), 'Numbers only, please'), 'abc')).toMatchObject({
      accepted: false,
      retry: 'Numbers only, please',
    });
    expect(
      await answer(await ask(textInput('T', { audioClip: true })), { type: 'audio', url: 'https://a.example.com/v.ogg' }),
    ).toMatchObject({ accepted: true, stored: 'https://a.example.com/v.ogg' });
    expect(
      await answer(await ask(textInput('T')), { type: 'text', text: 'see attached', attachedFileUrls: ['https://a.example.com/1.jpg'] }),
    ).toMatchObject({ accepted: true, stored: 'see attached' });
  });
});
