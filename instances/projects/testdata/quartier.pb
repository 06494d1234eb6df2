META
key;value
description;Budget participatif du quartier Saint-Lambert
country;France
unit;Paris
subunit;Quartier Saint-Lambert
instance;2025
num_projects;5
num_votes;10
budget;1000000
vote_type;approval
rule;equalshares/add1
max_length;3
currency;EUR
language;fr
PROJECTS
project_id;cost;votes;name;category
SL-1;500000;6;Rénover le square Saint-Lambert;espace public
SL-2;400000;6;Piste cyclable rue de Vouillé;mobilité
SL-3;100000;4;Fontaine à boire place Charles-Vallin;santé
SL-4;200000;3;Murs d'escalade au gymnase;sport
SL-5;50000;2;Nichoirs et hôtels à insectes;environnement
VOTES
voter_id;vote
1;SL-1,SL-2
2;SL-1,SL-2
3;SL-1,SL-2
4;SL-1,SL-3
5;SL-1,SL-3
6;SL-1,SL-2
7;SL-2,SL-4
8;SL-3,SL-4,SL-5
9;SL-3,SL-4
10;SL-2,SL-5
