package demo

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"agora/instances/accounts"
	"agora/instances/budgets"
	"agora/instances/geo"
	"agora/instances/projects"
)

// lastEdition is the demo's finished participatory budget: last year's
// edition, voted and counted, its funded projects being built. Its votes
// are drawn from a fixed seed, so every demo has the same result.
var lastEdition = []struct {
	ref, title, theme string
	cost              int64
	appeal            float64 // the share of voters who choose it
	address           string
	at                *geo.Point // nil: no one place
	scene             scene      // its photo
	alt               string     // what the photo shows
}{
	{"2026-01", "Végétaliser la rue du Commerce", "Espaces verts", 420_000, 0.55, "Rue du Commerce", &geo.Point{Lat: 48.8462, Lon: 2.2957},
		trees, "Dessin : une rangée d’arbres le long du trottoir de la rue du Commerce"},
	{"2026-02", "Une piste cyclable protégée rue de Vaugirard", "Mobilité", 650_000, 0.48, "Rue de Vaugirard, de la rue de la Convention au boulevard Lefebvre",
		&geo.Point{Lat: 48.8378, Lon: 2.2938}, bikeLane, "Dessin : une chaussée avec, à côté, une piste cyclable verte séparée"},
	{"2026-03", "Des fontaines à boire au square Saint-Lambert", "Santé", 90_000, 0.40, "Square Saint-Lambert", &geo.Point{Lat: 48.8413, Lon: 2.2987},
		fountains, "Dessin : trois fontaines bleues alignées dans le square"},
	{"2026-04", "Rénover le terrain de sport du square Necker", "Sport", 380_000, 0.36, "Square Adolphe-Chérioux", &geo.Point{Lat: 48.8408, Lon: 2.3032},
		court, "Dessin : un terrain de sport orange avec sa ligne médiane"},
	{"2026-05", "Une boîte à livres par quartier", "Culture", 45_000, 0.33, "Dans chaque quartier du 15e", nil, works, ""},
	{"2026-06", "Des bancs et de l’ombre place du Commerce", "Espace public", 160_000, 0.30, "Place du Commerce", &geo.Point{Lat: 48.8453, Lon: 2.2935},
		trees, "Dessin : des arbres qui ombragent la place du Commerce"},
	{"2026-07", "Un atelier de réparation de vélos à la Croix-Nivert", "Mobilité", 120_000, 0.22, "Rue de la Croix-Nivert", &geo.Point{Lat: 48.8437, Lon: 2.2965},
		bikeLane, "Dessin : une rue et sa piste cyclable devant l’atelier"},
	{"2026-08", "Éclairer le passage Dombasle", "Sécurité", 210_000, 0.18, "Passage Dombasle", &geo.Point{Lat: 48.8339, Lon: 2.2972},
		works, "Dessin : un chantier derrière des barrières orange et blanches"},
}

// lastEditionVoters is how many residents voted in the demo's edition.
const lastEditionVoters = 240

// lastEditionPB writes the finished edition as a Pabulib file: the form
// in which a city publishes its results, and in which the demo imports
// them.
func lastEditionPB() ([]byte, error) {
	pb := &budgets.PB{
		Meta: budgets.Meta{Description: "Budget participatif 2026 du 15e arrondissement", Country: "France", Unit: "Paris",
			Subunit: "15e arrondissement", Instance: "2026", NumProjects: len(lastEdition), NumVotes: lastEditionVoters,
			Budget: 1_500_000, VoteType: "approval", Rule: "greedy", MaxLength: 4, Currency: "EUR", Language: "fr"},
		ProjectColumns: []string{"project_id", "cost", "name", "category"},
		VoteColumns:    []string{"voter_id", "vote"},
	}
	for _, p := range lastEdition {
		pb.Projects = append(pb.Projects, budgets.PBProject{ID: p.ref, Cost: p.cost,
			Fields: map[string]string{"name": p.title, "category": p.theme}})
	}
	rng := rand.New(rand.NewPCG(2026, 15))
	for v := range lastEditionVoters {
		var vote []string
		for _, p := range lastEdition {
			if len(vote) < 4 && rng.Float64() < p.appeal {
				vote = append(vote, p.ref)
			}
		}
		if len(vote) == 0 {
			vote = []string{lastEdition[rng.IntN(len(lastEdition))].ref}
		}
		pb.Votes = append(pb.Votes, budgets.PBVote{VoterID: strconv.Itoa(v + 1), Vote: vote})
	}
	var buf bytes.Buffer
	if err := budgets.WritePB(&buf, pb); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// milestones are the steps the services published on the funded
// projects, by how far each one got: the first is done, the next are
// under way, the last is still studied.
var milestones = [][]projects.MilestoneInput{
	{
		{Status: projects.Study, Progress: 10, Text: "Les jardiniers de la Ville ont choisi les essences avec les habitants lors d’une balade dans la rue."},
		{Status: projects.Works, Progress: 60, Text: "Les fosses sont creusées ; les 24 arbres seront plantés en novembre, à la bonne saison.", ActualCost: 260_000},
		{Status: projects.Done, Progress: 100, Text: "Les arbres et les massifs sont plantés. Un arrosage par les riverains volontaires est organisé cet été.", ActualCost: 398_000},
	},
	{
		{Status: projects.Study, Progress: 15, Text: "Le tracé est étudié avec la préfecture de police et les commerçants de la rue."},
		{Status: projects.Tender, Progress: 30, Text: "L’appel d’offres est publié ; réponse des entreprises attendue sous deux mois."},
	},
	{
		{Status: projects.Works, Progress: 50, Text: "Deux fontaines sur trois sont raccordées au réseau d’eau potable.", ActualCost: 52_000},
	},
}

// loadLastEdition imports the finished edition into the budget space and
// publishes its follow-up, as the services would have over the year.
func loadLastEdition(ctx context.Context, svc *projects.Service, spaceID string, official *accounts.Account) error {
	file, err := lastEditionPB()
	if err != nil {
		return fmt.Errorf("demo edition: %w", err)
	}
	b, err := svc.Import(ctx, accounts.System, spaceID, bytes.NewReader(file), budgets.Limits{})
	if err != nil {
		return fmt.Errorf("demo edition: %w", err)
	}
	list, err := svc.Projects(ctx, b.ID)
	if err != nil {
		return err
	}
	i := 0
	for _, p := range list {
		if err := placeAndPicture(ctx, svc, official, p); err != nil {
			return err
		}
		if !p.Funded || i == len(milestones) {
			continue
		}
		var last *projects.Milestone
		for _, m := range milestones[i] {
			if last, err = svc.AddMilestone(ctx, accounts.As(official), p.ID, m); err != nil {
				return fmt.Errorf("demo milestone: %w", err)
			}
		}
		// The last step shows the site as it was then, or the project done.
		sc, alt := works, "Dessin : le chantier derrière des barrières orange et blanches"
		if e, ok := lastEditionEntry(p.Ref); ok && last.Status == projects.Done && e.alt != "" {
			sc, alt = e.scene, e.alt+", une fois le projet réalisé"
		}
		if err := addPicture(ctx, svc, official, p.ID, last.ID, sc, alt); err != nil {
			return err
		}
		i++
	}
	return nil
}

// placeAndPicture gives a project of the finished edition its place and,
// when funded, its photo.
func placeAndPicture(ctx context.Context, svc *projects.Service, official *accounts.Account, p projects.Project) error {
	e, ok := lastEditionEntry(p.Ref)
	if !ok {
		return nil
	}
	if err := svc.SetPlace(ctx, accounts.As(official), p.ID, projects.PlaceInput{Address: e.address, Point: e.at}); err != nil {
		return fmt.Errorf("demo place: %w", err)
	}
	if p.Funded && e.alt != "" {
		return addPicture(ctx, svc, official, p.ID, "", e.scene, e.alt)
	}
	return nil
}

// lastEditionEntry is the project of the finished edition with ref.
func lastEditionEntry(ref string) (entry struct {
	address string
	at      *geo.Point
	scene   scene
	alt     string
}, ok bool) {
	for _, e := range lastEdition {
		if e.ref == ref {
			entry.address, entry.at, entry.scene, entry.alt = e.address, e.at, e.scene, e.alt
			return entry, true
		}
	}
	return entry, false
}

func addPicture(ctx context.Context, svc *projects.Service, official *accounts.Account, projectID, milestoneID string, s scene, alt string) error {
	img, err := picture(s)
	if err != nil {
		return fmt.Errorf("demo picture: %w", err)
	}
	if _, err := svc.AddPhoto(ctx, accounts.As(official), projectID, projects.PhotoInput{MilestoneID: milestoneID, Alt: alt,
		ContentType: "image/png", File: bytes.NewReader(img)}); err != nil {
		return fmt.Errorf("demo photo: %w", err)
	}
	return nil
}

// voteEdition is the demo's edition in its vote phase: projects reviewed
// and found feasible, on a knapsack ballot of one envelope open to every
// verified resident, so a newcomer can vote (and see the running total)
// at once. Two demo residents have voted already.
var voteEdition = []struct {
	title, theme string
	cost         int64
	at           *geo.Point // nil: no one place
}{
	{"Un jardin partagé rue Mathurin-Régnier", "Espaces verts", 180_000, &geo.Point{Lat: 48.8395, Lon: 2.3065}},
	{"Des abris pour vélos près des écoles", "Mobilité", 240_000, nil},
	{"Une ludothèque dans la médiathèque Marguerite-Yourcenar", "Culture", 150_000, &geo.Point{Lat: 48.8347, Lon: 2.3040}},
	{"Des toilettes publiques accessibles au parc Georges-Brassens", "Santé", 320_000, &geo.Point{Lat: 48.8327, Lon: 2.3002}},
	{"Un terrain de basket éclairé rue de la Croix-Nivert", "Sport", 290_000, &geo.Point{Lat: 48.8440, Lon: 2.2968}},
	{"Des composteurs de quartier", "Environnement", 60_000, nil},
}

func loadVoteEdition(ctx context.Context, svc Services, now time.Time, spaceID string, people map[string]*accounts.Account) error {
	live := svc.Voting(func() time.Time { return now })
	official := accounts.As(people["espaces_verts"])
	b, err := svc.Projects.CreateBudget(ctx, official, projects.BudgetInput{SpaceID: spaceID, Title: "Budget participatif 2027 : le vote",
		Rule: budgets.Greedy, BallotKind: projects.Knapsack, Headings: []projects.HeadingInput{{Name: "Tout le 15e", Amount: 600_000}}})
	if err != nil {
		return fmt.Errorf("demo vote edition: %w", err)
	}
	for _, p := range voteEdition {
		created, err := svc.Projects.AddProject(ctx, official, projects.ProjectInput{BudgetID: b.ID, Heading: "tout-le-15e",
			Title: p.title, Theme: p.theme, Cost: p.cost, Point: p.at})
		if err != nil {
			return fmt.Errorf("demo vote project: %w", err)
		}
		if err := svc.Projects.SetReview(ctx, official, created.ID, projects.ReviewInput{Feasible: true, Cost: p.cost,
			Reasons: "Faisable : le service a vérifié le lieu et le coût."}); err != nil {
			return fmt.Errorf("demo vote review: %w", err)
		}
	}
	day := 24 * time.Hour
	if _, err := live.OpenVote(ctx, official, b.ID, projects.VoteInput{OpensAt: now.Add(-day), ClosesAt: now.Add(13 * day)}); err != nil {
		return fmt.Errorf("demo vote opening: %w", err)
	}
	for who, refs := range map[string][]string{"camille": {"1", "6"}, "youssef": {"2", "3", "6"}} {
		if _, err := live.Cast(ctx, accounts.As(people[who]), b.ID, "tout-le-15e", refs); err != nil {
			return fmt.Errorf("demo budget ballot: %w", err)
		}
	}
	return nil
}
