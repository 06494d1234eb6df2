META
key;value
description;Budget participatif de Paris, 11e arrondissement
country;France
unit;Paris
subunit;XIe arrondissement
instance;2026
num_projects;6
num_votes;12
budget;1500000
vote_type;approval
rule;equalshares/add1
date_begin;08.09.2026
date_end;28.09.2026
max_length;5
currency;EUR
language;fr
comment;"#1: Les projets ""Jardins partagés"" et ""Cours Oasis"" ont été fusionnés; voir le bilan."
PROJECTS
project_id;cost;votes;name;category;target;selected
11-001;450000;7;"Végétaliser la rue Oberkampf; phase 2";environnement,espace public;tous;1
11-002;320000;5;"Cour ""Oasis"" à l'école Parmentier";éducation,environnement;enfants;1
11-003;90000;4;Boîtes à livres dans les squares;culture;tous;1
11-004;780000;7;Réfection du gymnase Japy;sport;jeunes;0
11-005;150000;3;"  Bancs et fontaines  ";espace public;seniors;1
11-006;60000;2;Ateliers de réparation de vélos;mobilité;tous;1
VOTES
voter_id;vote;voting_method
v01;11-001,11-002,11-004;internet
v02;11-001,11-004;internet
v03;11-002,11-003,11-005;paper
v04;11-001,11-004,11-006;internet
v05;11-003,11-005;internet
v06;11-001,11-002,11-004;paper
v07;11-004;internet
v08;11-001,11-003;internet
v09;11-002,11-006;internet
v10;11-001,11-004,11-005;paper
v11;11-001,11-002;internet
v12;11-003,11-004;internet
