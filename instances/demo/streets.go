package demo

import (
	"context"
	"fmt"
	"time"

	"agora/instances/accounts"
	"agora/instances/reports"
)

// Street reports of the demo: categories mapped to the services, the
// arrondissement's outline, a few dozen reports on its streets in every
// state (with the services' messages, confirmations and a dialogue), and
// planned works among them. Reports are sent over the last weeks: the
// service runs on a clock the demo moves.

// territory15 is a rough outline of the 15th arrondissement.
var territory15 = reports.Polygon{
	{Lat: 48.8585, Lon: 2.2890}, {Lat: 48.8535, Lon: 2.3050}, {Lat: 48.8465, Lon: 2.3195}, {Lat: 48.8405, Lon: 2.3215},
	{Lat: 48.8315, Lon: 2.3085}, {Lat: 48.8265, Lon: 2.2920}, {Lat: 48.8325, Lon: 2.2695}, {Lat: 48.8395, Lon: 2.2625},
	{Lat: 48.8485, Lon: 2.2745},
}

// streets are places of the arrondissement, with their point.
var streets = []struct {
	address  string
	lat, lon float64
}{
	{"12 rue du Commerce", 48.8470, 2.2937}, {"85 rue de Vaugirard", 48.8405, 2.3005}, {"140 rue de la Convention", 48.8388, 2.2920},
	{"210 rue Lecourbe", 48.8380, 2.2930}, {"60 boulevard de Grenelle", 48.8495, 2.2965}, {"95 rue Saint-Charles", 48.8448, 2.2850},
	{"20 avenue Émile-Zola", 48.8472, 2.2905}, {"75 rue de la Croix-Nivert", 48.8440, 2.2980}, {"30 rue Cambronne", 48.8460, 2.3030},
	{"15 avenue Félix-Faure", 48.8415, 2.2860}, {"100 rue Blomet", 48.8415, 2.3010}, {"40 rue Olivier-de-Serres", 48.8365, 2.2950},
	{"25 boulevard Pasteur", 48.8425, 2.3115}, {"50 rue de Javel", 48.8432, 2.2810}, {"place Charles-Michels", 48.8465, 2.2862},
	{"square Saint-Lambert", 48.8392, 2.2985}, {"8 rue Dombasle", 48.8355, 2.2985}, {"120 rue de l’Abbé-Groult", 48.8390, 2.2955},
}

// demoCategories are the report categories, each with its service.
var demoCategories = []reports.Category{
	{Slug: "nid-de-poule", NameFR: "Nid-de-poule, chaussée abîmée", NameEN: "Pothole, damaged road", Service: serviceRoads},
	{Slug: "eclairage", NameFR: "Éclairage public en panne", NameEN: "Street light out", Service: serviceRoads},
	{Slug: "trottoir", NameFR: "Trottoir encombré ou abîmé", NameEN: "Blocked or damaged pavement", Service: serviceRoads},
	{Slug: "arbre", NameFR: "Arbre ou espace vert abîmé", NameEN: "Damaged tree or green space", Service: serviceGreen},
	{Slug: "encombrants", NameFR: "Encombrants, dépôt sauvage", NameEN: "Dumped bulky waste", Service: serviceGreen},
}

const (
	serviceRoads = "Direction de la voirie et des déplacements"
	serviceGreen = "Direction des espaces verts et de l’environnement"
)

// descriptions of the demo's reports, by category.
var descriptions = map[string][]string{
	"nid-de-poule": {"Un trou profond sur la chaussée, les vélos l’évitent au dernier moment.", "La chaussée s’affaisse devant le passage piéton."},
	"eclairage":    {"Le lampadaire ne s’allume plus depuis une semaine, la rue est très sombre.", "Deux lampadaires clignotent toute la nuit."},
	"trottoir":     {"Une dalle du trottoir est soulevée, une personne âgée a failli tomber.", "Des trottinettes bloquent le trottoir devant l’école."},
	"arbre":        {"Une grosse branche pend au-dessus du trottoir après le coup de vent.", "La grille au pied de l’arbre est cassée."},
	"encombrants":  {"Un matelas et un canapé déposés sur le trottoir.", "Des sacs de gravats laissés au pied de l’immeuble."},
}

// streetReports loads the categories, the territory, the reports and the
// planned works. svc makes the reports' service on a clock.
func streetReports(ctx context.Context, svc func(now func() time.Time) *reports.Service, people map[string]*accounts.Account, now time.Time) error {
	at := now.Add(-40 * 24 * time.Hour)
	s := svc(func() time.Time { return at })
	admin := accounts.As(people["demo_admin"])
	for i, c := range demoCategories {
		c.Position = i
		if err := s.SaveCategory(ctx, admin, c); err != nil {
			return fmt.Errorf("demo report category: %w", err)
		}
	}
	if err := s.SetTerritory(ctx, admin, territory15); err != nil {
		return fmt.Errorf("demo territory: %w", err)
	}
	officials := map[string]accounts.Actor{serviceRoads: accounts.As(people["voirie"]), serviceGreen: accounts.As(people["espaces_verts"])}
	// Every state, in turn: the last reports are the newest, so most new
	// ones are recent.
	states := []reports.State{reports.Done, reports.Rejected, reports.Transferred, reports.Requalified, reports.Done,
		reports.Scheduled, reports.Acknowledged, reports.Scheduled, reports.New, reports.Acknowledged, reports.New, reports.New}
	const count = 36
	for i := range count {
		at = now.Add(-time.Duration(count-i) * 26 * time.Hour)
		cat := demoCategories[i%len(demoCategories)]
		place := streets[(i*7)%len(streets)]
		who := residents[i%len(residents)].handle
		if unverified[who] {
			who = residents[0].handle
		}
		r, err := s.Create(ctx, accounts.As(people[who]), reports.Input{Category: cat.Slug, Address: place.address,
			Point:       &reports.Point{Lat: place.lat + float64(i%3)*0.0002, Lon: place.lon - float64(i%4)*0.0002},
			Description: descriptions[cat.Slug][i%2], NamePublic: i%3 != 0})
		if err != nil {
			return fmt.Errorf("demo report %d: %w", i, err)
		}
		official := officials[cat.Service]
		step := func(c reports.Change) error {
			at = at.Add(5 * time.Hour)
			return s.ChangeState(ctx, official, r.ID, c)
		}
		ack := reports.Change{To: reports.Acknowledged, Message: "Signalement pris en compte, une équipe va passer voir."}
		sched := reports.Change{To: reports.Scheduled, Message: "Intervention programmée.", ScheduledFor: now.Add(time.Duration(3+i%9) * 24 * time.Hour)}
		var changes []reports.Change
		switch states[i%len(states)] {
		case reports.Acknowledged:
			changes = []reports.Change{ack}
		case reports.Scheduled:
			changes = []reports.Change{ack, sched}
		case reports.Done:
			sched.ScheduledFor = at.Add(48 * time.Hour)
			changes = []reports.Change{ack, sched, {To: reports.Done, Message: "C’est réparé. Merci pour le signalement."}}
		case reports.Rejected:
			changes = []reports.Change{{To: reports.Rejected, Message: "Ce lieu est une voie privée : c’est au syndic de l’immeuble d’intervenir."}}
		case reports.Transferred:
			changes = []reports.Change{{To: reports.Transferred, Operator: "Enedis", Message: "Le câble relève du réseau électrique : transmis à Enedis."}}
		case reports.Requalified:
			other := "encombrants"
			if cat.Service == serviceGreen {
				other = "trottoir"
			}
			changes = []reports.Change{{To: reports.Requalified, Category: other, Message: "Ce problème relève d’un autre service : transmis."}}
		}
		for _, c := range changes {
			if err := step(c); err != nil {
				return fmt.Errorf("demo report %d, %s: %w", i, c.To, err)
			}
		}
		if i%4 == 1 {
			at = at.Add(time.Hour)
			neighbour := residents[(i+5)%len(residents)].handle
			if !unverified[neighbour] && neighbour != who {
				if err := s.Confirm(ctx, accounts.As(people[neighbour]), r.ID); err != nil && err != reports.ErrClosed {
					return fmt.Errorf("demo confirmation: %w", err)
				}
			}
		}
		if i%6 == 2 && states[i%len(states)].Open() {
			at = at.Add(time.Hour)
			if _, err := s.Say(ctx, official, r.ID, "Pouvez-vous préciser de quel côté de la rue ?", false); err != nil {
				return fmt.Errorf("demo message: %w", err)
			}
			at = at.Add(2 * time.Hour)
			if _, err := s.Say(ctx, accounts.As(people[who]), r.ID, "Côté numéros pairs, devant la boulangerie.", false); err != nil {
				return fmt.Errorf("demo reply: %w", err)
			}
		}
	}
	at = now
	works := []struct {
		service, title, what string
		place                int
		from, to             int // days from today
	}{
		{serviceRoads, "Réfection de la chaussée", "La chaussée est refaite ; circulation alternée de 8 h à 17 h.", 0, 2, 12},
		{serviceRoads, "Remplacement des lampadaires", "Les lampadaires passent aux LED ; trottoir réduit par endroits.", 2, 5, 9},
		{serviceGreen, "Élagage des platanes", "Élagage des arbres d’alignement ; stationnement interdit pendant les travaux.", 4, 1, 3},
		{serviceGreen, "Plantation d’arbres", "Six arbres plantés et les pieds d’arbres végétalisés.", 15, 14, 21},
	}
	for _, w := range works {
		place := streets[w.place]
		if _, err := s.PublishWork(ctx, officials[w.service], reports.WorkInput{Service: w.service, Title: w.title, Description: w.what,
			Address: place.address, Point: reports.Point{Lat: place.lat, Lon: place.lon},
			StartsOn: now.Add(time.Duration(w.from) * 24 * time.Hour), EndsOn: now.Add(time.Duration(w.to) * 24 * time.Hour)}); err != nil {
			return fmt.Errorf("demo work: %w", err)
		}
	}
	return nil
}
