META
key;value
description;Scores from -1 to 2
country;Poland
unit;Example
instance;2024
num_projects;3
num_votes;2
budget;1000
vote_type;scoring
rule;greedy
default_score;0
PROJECTS
project_id;cost;name;latitude;longitude
1;400;Kładka pieszo-rowerowa;50.0614;19.9366
2;300;Plac zabaw;;
3;600;Zieleń osiedlowa;50.05;19.95
VOTES
voter_id;vote;points;age;sex
x1;1,3,2;2,1,-1;31;F
x2;2;2;;
