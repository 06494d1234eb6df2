package migrations

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// Accounts: residents and staff, their roles, passkeys, sessions,
// recovery and one-time codes, residency verification, and the append-only
// audit log. What each column keeps, and for how long, is in
// docs/ACCOUNTS.md.
func init() {
	type account struct {
		bun.BaseModel       `bun:"table:accounts"`
		ID                  string     `bun:"id,pk"`
		Handle              string     `bun:"handle,notnull,unique"`
		DisplayName         string     `bun:"display_name,notnull"`
		Language            string     `bun:"language,notnull"`
		Public              bool       `bun:"public,notnull"`
		WebAuthnID          []byte     `bun:"webauthn_id,notnull,unique"`
		CreatedAt           time.Time  `bun:"created_at,notnull"`
		CreatedBy           string     `bun:"created_by"` // agent who opened it at a desk, if any
		DeletionRequestedAt *time.Time `bun:"deletion_requested_at"`
		DeletedAt           *time.Time `bun:"deleted_at"`
	}
	type role struct {
		bun.BaseModel `bun:"table:account_roles"`
		AccountID     string    `bun:"account_id,pk"`
		Role          string    `bun:"role,pk"`
		Service       string    `bun:"service,notnull"` // officials: the city service they answer for
		GrantedAt     time.Time `bun:"granted_at,notnull"`
	}
	type credential struct {
		bun.BaseModel   `bun:"table:passkeys"`
		ID              []byte     `bun:"id,pk"`
		AccountID       string     `bun:"account_id,notnull"`
		Name            string     `bun:"name,notnull"`
		PublicKey       []byte     `bun:"public_key,notnull"`
		AttestationType string     `bun:"attestation_type,notnull"`
		AAGUID          []byte     `bun:"aaguid"`
		SignCount       int64      `bun:"sign_count,notnull"`
		Transports      string     `bun:"transports,notnull"`
		Flags           int64      `bun:"flags,notnull"`
		CreatedAt       time.Time  `bun:"created_at,notnull"`
		LastUsedAt      *time.Time `bun:"last_used_at"`
	}
	type session struct {
		bun.BaseModel `bun:"table:sessions"`
		TokenHash     string    `bun:"token_hash,pk"`
		AccountID     string    `bun:"account_id,notnull"`
		CreatedAt     time.Time `bun:"created_at,notnull"`
		LastSeenAt    time.Time `bun:"last_seen_at,notnull"`
		ExpiresAt     time.Time `bun:"expires_at,notnull"`
		Device        string    `bun:"device,notnull"`
		Via           string    `bun:"via,notnull"` // passkey, recovery, link, setup
	}
	type challenge struct {
		bun.BaseModel `bun:"table:webauthn_challenges"`
		ID            string    `bun:"id,pk"`
		BrowserHash   string    `bun:"browser_hash,notnull"`
		Kind          string    `bun:"kind,notnull"`
		AccountID     string    `bun:"account_id"`
		Data          string    `bun:"data,notnull"`
		ExpiresAt     time.Time `bun:"expires_at,notnull"`
	}
	type recoveryCode struct {
		bun.BaseModel `bun:"table:recovery_codes"`
		AccountID     string     `bun:"account_id,pk"`
		CodeHash      string     `bun:"code_hash,pk"`
		UsedAt        *time.Time `bun:"used_at"`
	}
	type oneTimeCode struct {
		bun.BaseModel `bun:"table:one_time_codes"`
		CodeHash      string     `bun:"code_hash,pk"`
		Kind          string     `bun:"kind,notnull"` // login_link, setup
		AccountID     string     `bun:"account_id,notnull"`
		CreatedBy     string     `bun:"created_by"`
		CreatedAt     time.Time  `bun:"created_at,notnull"`
		ExpiresAt     time.Time  `bun:"expires_at,notnull"`
		UsedAt        *time.Time `bun:"used_at"`
	}
	type residency struct {
		bun.BaseModel `bun:"table:residencies"`
		AccountID     string     `bun:"account_id,pk"`
		Method        string     `bun:"method,notnull"` // desk, letter, census
		Document      string     `bun:"document,notnull"`
		VerifierID    string     `bun:"verifier_id"`
		VerifiedAt    time.Time  `bun:"verified_at,notnull"`
		ExpiresAt     time.Time  `bun:"expires_at,notnull"`
		RevokedAt     *time.Time `bun:"revoked_at"`
		RevokedReason string     `bun:"revoked_reason,notnull"`
	}
	type letterCode struct {
		bun.BaseModel `bun:"table:letter_codes"`
		CodeHash      string     `bun:"code_hash,pk"`
		Batch         string     `bun:"batch,notnull"`
		ExpiresAt     time.Time  `bun:"expires_at,notnull"`
		UsedAt        *time.Time `bun:"used_at"`
		UsedBy        string     `bun:"used_by"`
	}
	type censusEntry struct {
		bun.BaseModel `bun:"table:census_entries"`
		Hash          string     `bun:"hash,pk"`
		Import        string     `bun:"import,notnull"`
		ExpiresAt     time.Time  `bun:"expires_at,notnull"`
		UsedBy        string     `bun:"used_by"`
		UsedAt        *time.Time `bun:"used_at"`
	}
	type censusImport struct {
		bun.BaseModel `bun:"table:census_imports"`
		ID            string    `bun:"id,pk"`
		Salt          string    `bun:"salt,notnull"`
		ImportedBy    string    `bun:"imported_by"`
		ImportedAt    time.Time `bun:"imported_at,notnull"`
		ExpiresAt     time.Time `bun:"expires_at,notnull"`
		Entries       int       `bun:"entries,notnull"`
	}
	type auditEntry struct {
		bun.BaseModel `bun:"table:audit_log"`
		ID            int64     `bun:"id,pk,autoincrement"`
		At            time.Time `bun:"at,notnull"`
		ActorID       string    `bun:"actor_id"` // empty: the node itself or the command line
		Action        string    `bun:"action,notnull"`
		SubjectID     string    `bun:"subject_id"`
		OnBehalfOf    string    `bun:"on_behalf_of"`
		Desk          string    `bun:"desk,notnull"`
		Details       string    `bun:"details,notnull"`
		Reason        string    `bun:"reason,notnull"`
	}
	type rateLimit struct {
		bun.BaseModel `bun:"table:rate_limits"`
		Key           string    `bun:"key,pk"`
		WindowStart   time.Time `bun:"window_start,notnull"`
		Count         int       `bun:"count,notnull"`
	}

	models := []any{
		(*account)(nil), (*role)(nil), (*credential)(nil), (*session)(nil), (*challenge)(nil),
		(*recoveryCode)(nil), (*oneTimeCode)(nil), (*residency)(nil), (*letterCode)(nil),
		(*censusImport)(nil), (*censusEntry)(nil), (*auditEntry)(nil), (*rateLimit)(nil),
	}
	fks := map[string][]string{
		"account_roles":       {`("account_id") REFERENCES "accounts" ("id") ON DELETE CASCADE`},
		"passkeys":            {`("account_id") REFERENCES "accounts" ("id") ON DELETE CASCADE`},
		"sessions":            {`("account_id") REFERENCES "accounts" ("id") ON DELETE CASCADE`},
		"recovery_codes":      {`("account_id") REFERENCES "accounts" ("id") ON DELETE CASCADE`},
		"one_time_codes":      {`("account_id") REFERENCES "accounts" ("id") ON DELETE CASCADE`},
		"residencies":         {`("account_id") REFERENCES "accounts" ("id") ON DELETE CASCADE`},
		"census_entries":      {`("import") REFERENCES "census_imports" ("id") ON DELETE CASCADE`},
		"webauthn_challenges": nil,
	}
	indexes := []index{
		{"passkeys_account_idx", "passkeys", "account_id"},
		{"sessions_account_idx", "sessions", "account_id"},
		{"sessions_expires_idx", "sessions", "expires_at"},
		{"challenges_expires_idx", "webauthn_challenges", "expires_at"},
		{"one_time_codes_account_idx", "one_time_codes", "account_id"},
		{"letter_codes_batch_idx", "letter_codes", "batch"},
		{"census_entries_import_idx", "census_entries", "import"},
		{"audit_subject_idx", "audit_log", "subject_id, id"},
		{"audit_actor_idx", "audit_log", "actor_id, id"},
		{"audit_action_idx", "audit_log", "action, id"},
	}

	up := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if err := createTables(ctx, tx, models, fks, indexes); err != nil {
				return err
			}
			return appendOnly(ctx, tx, "audit_log")
		})
	}
	down := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if err := dropTables(ctx, tx, models); err != nil {
				return err
			}
			if isPostgres(tx) {
				_, err := tx.ExecContext(ctx, "DROP FUNCTION IF EXISTS agora_append_only()")
				return err
			}
			return nil
		})
	}
	Migrations.MustRegister(up, down)
}
