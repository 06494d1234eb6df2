package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/uptrace/bun"

	"agora/storage/database"
)

// Sizes says how large a node Seed builds.
type Sizes struct {
	Accounts  int
	Proposals int
	Supports  int
	Comments  int
	// HotComments is how many of the comments go to one proposal (the
	// "hot" one, whose id Seed returns), threaded.
	HotComments int
}

// Large is the node the performance targets are measured on.
var Large = Sizes{Accounts: 50_000, Proposals: 100_000, Supports: 1_000_000, Comments: 500_000, HotComments: 300}

// Scale returns the sizes times f (at least one of each, 300 hot comments
// kept when there are enough comments).
func (z Sizes) Scale(f float64) Sizes {
	s := func(n int) int { return max(1, int(float64(n)*f)) }
	out := Sizes{Accounts: s(z.Accounts), Proposals: s(z.Proposals), Supports: s(z.Supports), Comments: s(z.Comments), HotComments: z.HotComments}
	out.HotComments = min(out.HotComments, out.Comments)
	return out
}

// Seeded is what Seed built.
type Seeded struct {
	SpaceSlug string
	HotID     string // the proposal with HotComments comments
}

// Seed fills an empty node with a large, realistic-looking space for
// benchmarks: verified residents, proposals, supports and threaded
// comments, written in bulk (not through the services, which would take
// hours), consistent with what the services would have written: counts
// match rows, supports are unique, every proposal is searchable. It is
// deterministic for a given seed.
func Seed(ctx context.Context, db *bun.DB, z Sizes, seed uint64) (Seeded, error) {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	now := time.Now().UTC().Truncate(time.Microsecond)
	out := Seeded{SpaceSlug: "grand-budget"}
	spaceID := database.NewID()

	type account struct {
		bun.BaseModel `bun:"table:accounts"`
		ID            string    `bun:"id"`
		Handle        string    `bun:"handle"`
		DisplayName   string    `bun:"display_name"`
		Language      string    `bun:"language"`
		Public        bool      `bun:"public"`
		WebAuthnID    []byte    `bun:"webauthn_id"`
		CreatedAt     time.Time `bun:"created_at"`
	}
	type residency struct {
		bun.BaseModel `bun:"table:residencies"`
		AccountID     string    `bun:"account_id"`
		Method        string    `bun:"method"`
		Document      string    `bun:"document"`
		VerifiedAt    time.Time `bun:"verified_at"`
		ExpiresAt     time.Time `bun:"expires_at"`
		RevokedReason string    `bun:"revoked_reason"`
	}
	type proposal struct {
		bun.BaseModel `bun:"table:proposals"`
		ID            string    `bun:"id"`
		SpaceID       string    `bun:"space_id"`
		AuthorID      string    `bun:"author_id"`
		Desk          string    `bun:"desk"`
		Title         string    `bun:"title"`
		Body          string    `bun:"body"`
		BodyHTML      string    `bun:"body_html"`
		Category      string    `bun:"category"`
		Address       string    `bun:"address"`
		State         string    `bun:"state"`
		SupportCount  int       `bun:"support_count"`
		CommentCount  int       `bun:"comment_count"`
		RandKey       int64     `bun:"rand_key"`
		CreatedAt     time.Time `bun:"created_at"`
		UpdatedAt     time.Time `bun:"updated_at"`
		HiddenReason  string    `bun:"hidden_reason"`
	}
	type support struct {
		bun.BaseModel `bun:"table:proposal_supports"`
		ProposalID    string    `bun:"proposal_id"`
		AccountID     string    `bun:"account_id"`
		CreatedAt     time.Time `bun:"created_at"`
		Desk          string    `bun:"desk"`
	}
	type comment struct {
		bun.BaseModel `bun:"table:comments"`
		ID            string    `bun:"id"`
		TargetKind    string    `bun:"target_kind"`
		TargetID      string    `bun:"target_id"`
		ParentID      *string   `bun:"parent_id"`
		Depth         int       `bun:"depth"`
		AuthorID      string    `bun:"author_id"`
		RemoteName    string    `bun:"remote_name"`
		RemoteURL     string    `bun:"remote_url"`
		Desk          string    `bun:"desk"`
		Body          string    `bun:"body"`
		BodyHTML      string    `bun:"body_html"`
		Alignment     string    `bun:"alignment"`
		SupportCount  int       `bun:"support_count"`
		CreatedAt     time.Time `bun:"created_at"`
		HiddenReason  string    `bun:"hidden_reason"`
	}

	accountIDs := make([]string, z.Accounts)
	accounts := make([]account, z.Accounts)
	residencies := make([]residency, z.Accounts)
	for i := range accounts {
		id := database.NewID()
		accountIDs[i] = id
		wid := make([]byte, 32)
		for j := range wid {
			wid[j] = byte(rng.Uint32())
		}
		first, last := firstNames[rng.IntN(len(firstNames))], lastNames[rng.IntN(len(lastNames))]
		accounts[i] = account{ID: id, Handle: fmt.Sprintf("habitant_%d", i), DisplayName: first + " " + last[:1] + ".",
			Language: "fr", Public: i%3 == 0, WebAuthnID: wid, CreatedAt: now.Add(-time.Duration(rng.IntN(365*24)) * time.Hour)}
		residencies[i] = residency{AccountID: id, Method: "operator", VerifiedAt: now, ExpiresAt: now.Add(2 * 365 * 24 * time.Hour)}
	}

	// Supports: unique (proposal, account) pairs, skewed so some proposals
	// are popular, as in life.
	type pair struct{ p, a int }
	seen := make(map[pair]struct{}, z.Supports)
	supportsOf := make([]int, z.Proposals)
	pairs := make([]pair, 0, z.Supports)
	for len(pairs) < z.Supports && len(pairs) < z.Proposals*z.Accounts {
		p := int(float64(z.Proposals) * rng.Float64() * rng.Float64()) // skew to the first proposals
		k := pair{p, rng.IntN(z.Accounts)}
		if _, dup := seen[k]; dup {
			continue
		}
		seen[k] = struct{}{}
		pairs = append(pairs, k)
		supportsOf[p]++
	}
	seen = nil

	props := make([]proposal, z.Proposals)
	commentsOf := make([]int, z.Proposals)
	commentsOf[0] = z.HotComments
	for i := z.HotComments; i < z.Comments; i++ {
		commentsOf[1+rng.IntN(max(1, z.Proposals-1))%z.Proposals]++
	}
	for i := range props {
		title := titles[rng.IntN(len(titles))] + " " + places[rng.IntN(len(places))]
		body := bodies[rng.IntN(len(bodies))]
		props[i] = proposal{ID: database.NewID(), SpaceID: spaceID, AuthorID: accountIDs[rng.IntN(z.Accounts)],
			Title: title, Body: body, BodyHTML: "<p>" + body + "</p>", Category: categorySlugs[rng.IntN(len(categorySlugs))],
			State: "published", SupportCount: supportsOf[i], CommentCount: commentsOf[i], RandKey: int64(rng.Uint32() >> 1),
			CreatedAt: now.Add(-time.Duration(rng.IntN(30*24*60)) * time.Minute), UpdatedAt: now}
	}
	out.HotID = props[0].ID

	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewRaw(`INSERT INTO spaces (id, slug, title, description, kind, title_max, body_max, support_threshold,
			unverified_may_propose, created_at, updated_at) VALUES (?, ?, ?, ?, 'process', 100, 700, 0, FALSE, ?, ?)`,
			spaceID, out.SpaceSlug, "Grand budget participatif (données de test)", "Espace généré pour les mesures de performance.", now, now).Exec(ctx)
		if err != nil {
			return err
		}
		if _, err := tx.NewRaw(`INSERT INTO space_phases (space_id, position, kind, name, starts_at, ends_at) VALUES (?, 0, 'proposals', '', ?, ?)`,
			spaceID, now.Add(-30*24*time.Hour), now.Add(365*24*time.Hour)).Exec(ctx); err != nil {
			return err
		}
		for i, c := range categorySlugs {
			if _, err := tx.NewRaw(`INSERT INTO space_categories (space_id, slug, name_fr, name_en, position) VALUES (?, ?, ?, ?, ?)`,
				spaceID, c, categoryNames[i], categoryNames[i], i).Exec(ctx); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return out, fmt.Errorf("seed space: %w", err)
	}
	if err := insertBatches(ctx, db, accounts); err != nil {
		return out, fmt.Errorf("seed accounts: %w", err)
	}
	if err := insertBatches(ctx, db, residencies); err != nil {
		return out, fmt.Errorf("seed residencies: %w", err)
	}
	if err := insertBatches(ctx, db, props); err != nil {
		return out, fmt.Errorf("seed proposals: %w", err)
	}
	supports := make([]support, len(pairs))
	for i, k := range pairs {
		supports[i] = support{ProposalID: props[k.p].ID, AccountID: accountIDs[k.a], CreatedAt: now}
	}
	pairs = nil
	if err := insertBatches(ctx, db, supports); err != nil {
		return out, fmt.Errorf("seed supports: %w", err)
	}
	supports = nil
	var comments []comment
	for p, n := range commentsOf {
		var ids []string
		for j := 0; j < n; j++ {
			c := comment{ID: database.NewID(), TargetKind: "proposal", TargetID: props[p].ID,
				AuthorID: accountIDs[rng.IntN(z.Accounts)], Alignment: []string{"", "for", "against", "neutral"}[rng.IntN(4)],
				CreatedAt: props[p].CreatedAt.Add(time.Duration(j+1) * time.Minute)}
			c.Body = bodies[rng.IntN(len(bodies))]
			c.BodyHTML = "<p>" + c.Body + "</p>"
			// About a third reply to an earlier comment of the thread.
			if len(ids) > 0 && rng.IntN(3) == 0 {
				parent := ids[rng.IntN(len(ids))]
				c.ParentID, c.Depth = &parent, 1
			}
			ids = append(ids, c.ID)
			comments = append(comments, c)
		}
		if len(comments) >= 20_000 {
			if err := insertBatches(ctx, db, comments); err != nil {
				return out, fmt.Errorf("seed comments: %w", err)
			}
			comments = comments[:0]
		}
	}
	if err := insertBatches(ctx, db, comments); err != nil {
		return out, fmt.Errorf("seed comments: %w", err)
	}
	return out, nil
}

// insertBatches writes rows 500 at a time, 20,000 per transaction.
func insertBatches[T any](ctx context.Context, db *bun.DB, rows []T) error {
	const batch, perTx = 500, 20_000
	for start := 0; start < len(rows); start += perTx {
		end := min(start+perTx, len(rows))
		err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			for i := start; i < end; i += batch {
				chunk := rows[i:min(i+batch, end)]
				if _, err := tx.NewInsert().Model(&chunk).Exec(ctx); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

var (
	firstNames    = []string{"Camille", "Youssef", "Marie", "Thanh", "Inès", "Bernard", "Léa", "Jules", "Fatou", "Hugo", "Chloé", "Karim", "Sofia", "Louis", "Aïcha", "Paul"}
	lastNames     = []string{"Durand", "Benali", "Lefèvre", "Nguyen", "Robert", "Garcia", "Martin", "Petit", "Diallo", "Moreau", "Rousseau", "Haddad"}
	titles        = []string{"Planter des arbres", "Des bancs", "Une aire de jeux", "Un composteur", "Des arceaux vélos", "Une fresque", "Éclairer", "Sécuriser le passage piéton", "Un jardin partagé", "Une fontaine"}
	places        = []string{"rue de Vaugirard", "place Charles-Michels", "square Saint-Lambert", "rue Lecourbe", "boulevard Pasteur", "rue de la Convention", "parc Georges-Brassens", "rue du Commerce"}
	bodies        = []string{"Ce serait utile pour tout le quartier, en particulier pour les familles et les personnes âgées.", "Le lieu est mal entretenu et pourrait devenir agréable avec peu de moyens.", "Les riverains se sont déjà réunis et sont prêts à participer à l’entretien.", "Une demande ancienne du conseil de quartier, jamais réalisée faute de budget."}
	categorySlugs = []string{"espaces-verts", "mobilite", "proprete", "culture", "education", "solidarite"}
	categoryNames = []string{"Espaces verts", "Mobilité", "Propreté", "Culture", "Éducation", "Solidarité"}
)
