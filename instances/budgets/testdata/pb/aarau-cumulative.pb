META
key;value
description;Windows line ends, a byte order mark, blank lines
country;Switzerland
unit;Aarau
instance;2023
num_projects;3
num_votes;4
budget;50000.00
vote_type;cumulative
rule;equalshares
max_sum_points;10

PROJECTS
project_id;cost;name
A;20000.0;Skatepark
B;15000;Urban garden
C;30000;Open-air cinema

VOTES
voter_id;vote;points
1;A,B;6,4
2;C;10
3;B,C,A;5,3,2
4;A;10
