package migrations

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// The catalogue of municipal free software: apps described by their
// publiccode.yml (local, or from other nodes with their origin), the
// values the catalogue filters on, the review checklist and
// certification, releases and their artifacts, logos and screenshots
// (blobs), and the cities that adopted each app.
func init() {
	type app struct {
		bun.BaseModel     `bun:"table:apps"`
		ID                string     `bun:"id,pk"`
		Slug              string     `bun:"slug,notnull,unique"`
		Name              string     `bun:"name,notnull"`
		URL               string     `bun:"url,notnull"`
		PublicCodeYML     string     `bun:"publiccode_yml,notnull"`
		PublicCodeVersion string     `bun:"publiccode_version,notnull"`
		LandingURL        string     `bun:"landing_url,notnull"`
		SoftwareVersion   string     `bun:"software_version,notnull"`
		ReleaseDate       string     `bun:"release_date,notnull"`
		Categories        string     `bun:"categories,notnull"` // JSON array
		Platforms         string     `bun:"platforms,notnull"`  // JSON array
		DevelopmentStatus string     `bun:"development_status,notnull"`
		SoftwareType      string     `bun:"software_type,notnull"`
		License           string     `bun:"license,notnull"`
		OSIApproved       bool       `bun:"osi_approved,notnull"`
		Languages         string     `bun:"languages,notnull"`          // JSON array
		ShortDescriptions string     `bun:"short_descriptions,notnull"` // JSON object by language
		SearchText        string     `bun:"search_text,notnull"`
		ReviewState       string     `bun:"review_state,notnull"` // submitted, reviewed, certified
		CheckOSI          bool       `bun:"check_osi_licence,notnull"`
		CheckSource       bool       `bun:"check_source_reachable,notnull"`
		CheckMaintenance  bool       `bun:"check_maintenance_declared,notnull"`
		CheckA11y         bool       `bun:"check_accessibility,notnull"`
		CheckFrenchDocs   bool       `bun:"check_french_documentation,notnull"`
		ReviewedBy        string     `bun:"reviewed_by"`
		ReviewedAt        *time.Time `bun:"reviewed_at"`
		CertifiedBy       string     `bun:"certified_by"`
		CertifiedAt       *time.Time `bun:"certified_at"`
		CreatedBy         string     `bun:"created_by"`
		CreatedAt         time.Time  `bun:"created_at,notnull"`
		UpdatedAt         time.Time  `bun:"updated_at,notnull"`
		DeprecatedAt      *time.Time `bun:"deprecated_at"`
		DeletedAt         *time.Time `bun:"deleted_at"`
		OriginActor       string     `bun:"origin_actor"` // the catalogue actor of the node it comes from
		OriginNode        string     `bun:"origin_node"`
		RemoteID          *string    `bun:"remote_id,unique"` // its ActivityPub id
		RemoteURL         string     `bun:"remote_url"`
	}
	// What apps are filtered by that holds several values per app.
	type tag struct {
		bun.BaseModel `bun:"table:app_tags"`
		AppID         string `bun:"app_id,pk"`
		Kind          string `bun:"kind,pk"` // category, platform, license, language
		Value         string `bun:"value,pk"`
	}
	type release struct {
		bun.BaseModel `bun:"table:app_releases"`
		ID            string    `bun:"id,pk"`
		AppID         string    `bun:"app_id,notnull"`
		Version       string    `bun:"version,notnull"`
		ReleasedOn    time.Time `bun:"released_on,notnull"`
		Changelog     string    `bun:"changelog,notnull"`
		CreatedBy     string    `bun:"created_by"`
		CreatedAt     time.Time `bun:"created_at,notnull"`
		RemoteID      *string   `bun:"remote_id,unique"`
	}
	type artifact struct {
		bun.BaseModel `bun:"table:app_artifacts"`
		ID            string    `bun:"id,pk"`
		ReleaseID     string    `bun:"release_id,notnull"`
		Position      int       `bun:"position,notnull"`
		Name          string    `bun:"name,notnull"`
		BlobKey       string    `bun:"blob_key,notnull"`
		SHA256        string    `bun:"sha256,notnull"`
		Size          int64     `bun:"size,notnull"`
		MediaType     string    `bun:"media_type,notnull"`
		CreatedAt     time.Time `bun:"created_at,notnull"`
	}
	type media struct {
		bun.BaseModel `bun:"table:app_media"`
		ID            string    `bun:"id,pk"`
		AppID         string    `bun:"app_id,notnull"`
		Kind          string    `bun:"kind,notnull"` // logo, screenshot
		Position      int       `bun:"position,notnull"`
		BlobKey       string    `bun:"blob_key,notnull"`
		SHA256        string    `bun:"sha256,notnull"`
		Size          int64     `bun:"size,notnull"`
		MediaType     string    `bun:"media_type,notnull"`
		CreatedAt     time.Time `bun:"created_at,notnull"`
	}
	type adoption struct {
		bun.BaseModel `bun:"table:app_adoptions"`
		ID            string    `bun:"id,pk"`
		AppID         string    `bun:"app_id,notnull"`
		AdopterKey    string    `bun:"adopter_key,notnull"` // the remote actor, or "local:" and the folded name
		Name          string    `bun:"name,notnull"`        // the city or node
		Actor         string    `bun:"actor"`               // the adopting node's instance actor; NULL when local
		Version       string    `bun:"version,notnull"`
		Contact       string    `bun:"contact,notnull"`
		Since         time.Time `bun:"since,notnull"`
		RemoteID      *string   `bun:"remote_id,unique"` // the activity that announced it
		CreatedBy     string    `bun:"created_by"`
		CreatedAt     time.Time `bun:"created_at,notnull"`
		UpdatedAt     time.Time `bun:"updated_at,notnull"`
	}

	models := []any{(*app)(nil), (*tag)(nil), (*release)(nil), (*artifact)(nil), (*media)(nil), (*adoption)(nil)}
	fks := map[string][]string{
		"app_tags":      {`("app_id") REFERENCES "apps" ("id") ON DELETE CASCADE`},
		"app_releases":  {`("app_id") REFERENCES "apps" ("id") ON DELETE CASCADE`},
		"app_artifacts": {`("release_id") REFERENCES "app_releases" ("id") ON DELETE CASCADE`},
		"app_media":     {`("app_id") REFERENCES "apps" ("id") ON DELETE CASCADE`},
		"app_adoptions": {`("app_id") REFERENCES "apps" ("id") ON DELETE CASCADE`},
	}
	indexes := []index{
		{"apps_name_idx", "apps", "lower(name), id"},
		{"apps_status_idx", "apps", "development_status"},
		{"apps_type_idx", "apps", "software_type"},
		{"apps_license_idx", "apps", "license"},
		{"apps_review_idx", "apps", "review_state"},
		{"apps_url_idx", "apps", "url"},
		{"app_tags_filter_idx", "app_tags", "kind, value, app_id"},
		{"app_releases_app_idx", "app_releases", "app_id, released_on"},
		{"app_artifacts_release_idx", "app_artifacts", "release_id, position"},
		{"app_artifacts_blob_idx", "app_artifacts", "blob_key"},
		{"app_media_blob_idx", "app_media", "blob_key"},
	}
	unique := []string{
		// One version of a name per app, one file of a name per release,
		// one row per logo or screenshot place, one adoption per adopter.
		`CREATE UNIQUE INDEX IF NOT EXISTS app_releases_version_idx ON app_releases (app_id, version)`,
		`CREATE UNIQUE INDEX IF NOT EXISTS app_artifacts_name_idx ON app_artifacts (release_id, name)`,
		`CREATE UNIQUE INDEX IF NOT EXISTS app_media_place_idx ON app_media (app_id, kind, position)`,
		`CREATE UNIQUE INDEX IF NOT EXISTS app_adoptions_adopter_idx ON app_adoptions (app_id, adopter_key)`,
		// A repository is published once by this node (deleted apps and
		// other nodes' copies aside).
		`CREATE UNIQUE INDEX IF NOT EXISTS apps_local_url_idx ON apps (url) WHERE remote_id IS NULL AND deleted_at IS NULL`,
	}

	up := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if err := createTables(ctx, tx, models, fks, indexes); err != nil {
				return err
			}
			for _, ix := range unique {
				if _, err := tx.ExecContext(ctx, ix); err != nil {
					return err
				}
			}
			return nil
		})
	}
	down := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			return dropTables(ctx, tx, models)
		})
	}
	Migrations.MustRegister(up, down)
}
