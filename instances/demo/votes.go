package demo

import (
	"context"
	"fmt"
	"time"

	"agora/instances/accounts"
	"agora/instances/decisions"
	"agora/instances/spaces"
)

// votes adds the council's votes, so a newcomer sees both at once: one
// open, with delegation, and one closed with its results and receipts
// published. The closed one ran for the last week: its delegation and
// ballots are made through a service whose clock is set in that week,
// and it closes now, just after the demo residents were verified (a
// count reads residency and delegations as they stood at closing).
func votes(ctx context.Context, svc Services, now time.Time, council *spaces.Space, people map[string]*accounts.Account) error {
	if svc.Decisions == nil {
		return nil
	}
	day := 24 * time.Hour
	closesAt := time.Now().UTC().Add(time.Millisecond)
	at := now.Add(-8 * day)
	past := svc.Decisions(func() time.Time { return at })
	closer := svc.Decisions(func() time.Time { return closesAt })
	live := svc.Decisions(func() time.Time { return now })
	official := accounts.As(people["espaces_verts"])

	closed, err := past.Create(ctx, official, council.ID, decisions.Input{
		Question:    "Quel nom pour le jardin partagé de la rue Mathurin-Régnier ?",
		Description: "Le conseil de quartier a retenu quatre noms proposés par les habitants. Classez-les par ordre de préférence.",
		Method:      decisions.Ranked, Delegation: true, StatusQuo: "aucun",
		Options: []decisions.Option{
			{Key: "olympe", Label: "Jardin Olympe-de-Gouges"}, {Key: "tilleuls", Label: "Jardin des Tilleuls"},
			{Key: "necker", Label: "Jardin Necker"}, {Key: "aucun", Label: "Garder le nom actuel (« square 15-3 »)"},
		},
		OpensAt: now.Add(-7 * day), ClosesAt: closesAt,
	})
	if err != nil {
		return fmt.Errorf("demo closed vote: %w", err)
	}
	if err := past.Agree(ctx, accounts.As(people["thanh"])); err != nil {
		return fmt.Errorf("demo delegate: %w", err)
	}
	if err := past.Delegate(ctx, accounts.As(people["ines"]), decisions.Scope{SpaceID: council.ID}, people["thanh"].ID, false); err != nil {
		return fmt.Errorf("demo delegation: %w", err)
	}
	at = now.Add(-5 * day)
	desk := accounts.Actor{Account: people["guichet_vaugirard"], OnBehalfOf: people["bernard"], Desk: "Mairie du 15e – accueil"}
	for _, b := range []struct {
		actor   accounts.Actor
		ranking []string
		paper   bool
	}{
		{accounts.As(people["camille"]), []string{"olympe", "tilleuls", "aucun"}, false},
		{accounts.As(people["youssef"]), []string{"tilleuls", "olympe", "necker"}, false},
		{accounts.As(people["marie_claire"]), []string{"olympe", "necker"}, false},
		{accounts.As(people["thanh"]), []string{"tilleuls", "olympe", "aucun", "necker"}, false},
		{desk, []string{"olympe", "aucun"}, true},
	} {
		if _, err := past.Cast(ctx, b.actor, closed.ID, decisions.Choice{Ranking: b.ranking}, b.paper); err != nil {
			return fmt.Errorf("demo ballot: %w", err)
		}
	}
	if _, err := closer.Close(ctx, closed.ID); err != nil {
		return fmt.Errorf("demo close: %w", err)
	}

	open, err := live.Create(ctx, official, council.ID, decisions.Input{
		Question:    "Quels aménagements pour la place Adolphe-Chérioux ?",
		Description: "Cochez tous ceux que vous approuvez. Vous pouvez confier votre voix à une personne déléguée du conseil.",
		Method:      decisions.Approval, Delegation: true,
		Options: []decisions.Option{
			{Key: "bancs", Label: "Des bancs à l’ombre"}, {Key: "fontaine", Label: "Une fontaine à boire"},
			{Key: "arbres", Label: "Six arbres de plus"}, {Key: "jeux", Label: "Des jeux pour les petits"},
		},
		OpensAt: now.Add(-2 * day), ClosesAt: now.Add(12 * day),
	})
	if err != nil {
		return fmt.Errorf("demo open vote: %w", err)
	}
	for _, b := range []struct {
		who     string
		options []string
	}{{"camille", []string{"arbres", "fontaine"}}, {"thanh", []string{"bancs", "arbres"}}} {
		if _, err := live.Cast(ctx, accounts.As(people[b.who]), open.ID, decisions.Choice{Options: b.options}, false); err != nil {
			return fmt.Errorf("demo open ballot: %w", err)
		}
	}
	return nil
}
