// Word lists for seeded data: names people have across Europe, a few with letters outside
// ASCII (usernames allow any letter), and words rooms are named after.

// prettier-ignore
export const FIRST_NAMES = [
  "anna", "ben", "clara", "david", "elena", "felix", "greta", "hugo", "ines", "jonas",
  "katja", "lars", "mia", "noah", "olga", "paul", "quinn", "rosa", "samuel", "tina",
  "ulrich", "vera", "wim", "xenia", "yusuf", "zoë", "amelie", "bruno", "chiara", "dario",
  "emil", "fatima", "gabriel", "hanna", "ivan", "julia", "karim", "lena", "marco", "nina",
  "oskar", "pia", "rafael", "sofia", "tobias", "ursula", "viktor", "wanda", "alma", "björn",
  "carla", "dmitri", "eva", "filip", "giulia", "henrik", "ida", "jakob", "kasia", "luca",
  "maja", "nils", "olivia", "pedro", "rita", "sven", "teresa", "valentin", "yara", "zeno",
  "agnes", "bernd", "cem", "dora", "erik", "frida", "goran", "helga", "imre", "jana",
  "kai", "lotte", "milan", "nora", "ole", "paula", "ruben", "selma", "timo", "una",
  "jürgen", "søren", "maël", "ana", "tomás", "léa", "matteo", "sara", "leon", "emma",
];

// prettier-ignore
export const LAST_NAMES = [
  "keller", "novak", "rossi", "lindqvist", "müller", "dubois", "jansen", "kowalski", "silva", "nielsen",
  "horvat", "garcia", "schmidt", "moreau", "de-vries", "nowak", "ferrari", "andersson", "weber", "laurent",
  "bakker", "wiśniewski", "costa", "hansen", "kovač", "fernandez", "fischer", "leroy", "visser", "lewandowski",
  "romano", "johansson", "wagner", "simon", "smit", "kaminski", "santos", "pedersen", "babić", "lopez",
  "becker", "michel", "meijer", "zielinski", "bianchi", "karlsson", "hoffmann", "lefebvre", "mulder", "szymanski",
  "oliveira", "larsen", "jurić", "martinez", "schulz", "garnier", "bos", "wozniak", "colombo", "nilsson",
  "koch", "faure", "vos", "dabrowski", "pereira", "christensen", "knežević", "sanchez", "richter", "rousseau",
  "peters", "kozlowski", "ricci", "eriksson", "klein", "blanc", "hendriks", "jankowski", "ferreira", "rasmussen",
  "marković", "gomez", "wolf", "guerin", "dekker", "mazur", "marino", "persson", "neumann", "boyer",
  "brouwer", "krawczyk", "greco", "olsen", "petrović", "diaz", "schwarz", "fontaine", "dijkstra", "berg",
];

// prettier-ignore
export const COMPANY_SUFFIXES = ["GmbH", "AB", "S.r.l.", "B.V.", "& Partners", "Studio", "Legal", "Labs", "Collective", "Cooperative"];

// prettier-ignore
export const ROOM_WORDS = [
  "family", "team", "friends", "book-club", "board", "ops", "dev", "support-desk", "sales", "design",
  "garden", "choir", "football", "climbing", "chess", "kitchen", "holiday", "parents", "neighbours", "lounge",
  "newsroom", "legal", "finance", "research", "events", "press", "alumni", "volunteers", "band", "hiking",
];

// prettier-ignore
export const MAIL_DOMAINS = ["example.com", "example.net", "example.org", "mail.example", "post.example"];
