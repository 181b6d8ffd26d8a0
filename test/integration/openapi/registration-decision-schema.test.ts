import { z } from 'zod';
import { DecisionBody } from '../../../src/http/registration-decision-routes';
import { loadDocument } from './openapi-doc';

const documented = loadDocument().components.schemas.RegistrationDecisionBody;

describe("the OpenAPI document's registration decision body is the one the route parses with", () => {
  test('the same fields, required fields, decisions and limits as the zod schema', () => {
    const code = z.toJSONSchema(DecisionBody, { io: 'input', unrepresentable: 'any' }) as any;
    expect(Object.keys(documented.properties).sort()).toEqual(Object.keys(code.properties).sort());
    expect([...documented.required].sort()).toEqual([...(code.required ?? [])].sort());
    expect(documented.properties.decision.enum).toEqual(code.properties.decision.enum);
    const message = code.properties.message.anyOf.find((s: { type?: string }) => s.type === 'string');
    expect(documented.properties.message.maxLength).toBe(message.maxLength);
    expect([documented.properties.fields.minItems, documented.properties.fields.maxItems]).toEqual([
      code.properties.fields.minItems,
      code.properties.fields.maxItems,
    ]);
    expect(documented.additionalProperties).toBe(false);
    expect(code.additionalProperties).toBe(false);
  });
});
