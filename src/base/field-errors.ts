// Why each field of a request was refused: the `errors` of a 422 body
// ({"errors": {"field": ["why"]}}). On the ground floor so that a pure decision in domain/ can
// say why without knowing about HTTP; http/errors.ts answers with it.

export type FieldErrors = Record<string, string[]>;
