// NEAR account id rules (nearcore `is_valid_account_id`), shared by every contract here: 2..64
// characters, lowercase alphanumeric parts separated by `-`, `_` or `.`.
const ACCOUNT_ID_PATTERN = /^(([a-z\d]+[-_])*[a-z\d]+\.)*([a-z\d]+[-_])*[a-z\d]+$/;
const MIN_ACCOUNT_ID_LEN = 2;
const MAX_ACCOUNT_ID_LEN = 64;

/** True when `value` is a syntactically valid NEAR account id. */
export function isValidAccountId(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length >= MIN_ACCOUNT_ID_LEN &&
    value.length <= MAX_ACCOUNT_ID_LEN &&
    ACCOUNT_ID_PATTERN.test(value)
  );
}
