/*
 * population.c: the synthetic population generator (see population.h).
 *
 * The tables below are the realism: districts with rough population weights, names, employers,
 * age pyramids (per mille of the population in five-year bands, 90+ last), household sizes,
 * labour-force participation of women, worker categories and wage ranges. They are rough
 * figures in the spirit of the UN World Population Prospects and ILO informality estimates,
 * good enough for benchmarks and simulation, not statistics.
 */
#include "registry/population.h"

#include <assert.h>
#include <string.h>

#include "base/alloc.h"
#include "base/money.h"
#include "base/text.h"

#define AGE_BANDS      19  /* 0-4, 5-9, ..., 85-89, 90-100 */
#define DAYS_PER_SLOT  365 /* birth days a given name is combined with in a stratum */
#define INITIALS       26  /* middle initials, used once a stratum runs out of plain names */
#define PERMILLE       1000
#define REFERENCE_YEAR 2025

struct district {
    const char *admin1; /* province, state, division, region or aimag */
    const char *admin2; /* district (soum, khan, kabupaten/kota, province in PH) */
    uint16_t weight;    /* relative population within the country */
    uint8_t urban;      /* 1: no farming or herding households */
    uint8_t karnali;    /* 1: in Nepal's former Karnali zone */
};

struct country {
    const char *code;     /* ISO 3166-1 alpha-2 */
    const char *currency; /* ISO 4217 */
    uint16_t mix;         /* share of the mix, per mille */
    const struct district *districts;
    int n_districts;
    const char *const *male; /* given names; disjoint from female */
    int n_male;
    const char *const *female;
    int n_female;
    const char *const *family; /* regular, then Dalit, then endangered indigenous names */
    int n_family;
    int n_dalit_family;      /* the last-but-endangered names are Dalit surnames */
    int n_endangered_family; /* the last names are those of endangered indigenous groups */
    uint16_t dalit;          /* households that are Dalit, per mille */
    uint16_t endangered;     /* households of endangered indigenous groups, per mille */
    const char *const *employers;
    int n_employers;
    uint16_t pyramid[AGE_BANDS]; /* per mille of the population in each band */
    uint16_t household_size[POPULATION_HOUSEHOLD_MAX]; /* weights of sizes 1..8 */
    uint16_t women_working;      /* labour-force participation of women 18-59, per mille */
    uint16_t category[11];       /* weights by enum worker_category (0 unused) */
    uint16_t disability;         /* persons with a disability class, per mille */
    int64_t wage_low, wage_high; /* formal monthly wage range, major units */
    int64_t wage_step;           /* wages are multiples of this */
    const char *phone_prefix;    /* E.164 prefix including the mobile code */
    int phone_digits;            /* random digits after the prefix */
};

/* Nepal */
static const struct district np_districts[] = {
    {"Bagmati", "Kathmandu", 200, 1, 0},    {"Bagmati", "Lalitpur", 55, 1, 0},
    {"Bagmati", "Bhaktapur", 43, 1, 0},     {"Gandaki", "Kaski", 60, 0, 0},
    {"Koshi", "Morang", 110, 0, 0},         {"Koshi", "Sunsari", 90, 0, 0},
    {"Madhesh", "Dhanusha", 85, 0, 0},      {"Madhesh", "Saptari", 70, 0, 0},
    {"Lumbini", "Rupandehi", 100, 0, 0},    {"Lumbini", "Banke", 60, 0, 0},
    {"Sudurpashchim", "Kailali", 90, 0, 0}, {"Sudurpashchim", "Achham", 23, 0, 0},
    {"Karnali", "Surkhet", 42, 0, 0},       {"Karnali", "Jumla", 12, 0, 1},
    {"Karnali", "Humla", 6, 0, 1},          {"Karnali", "Mugu", 6, 0, 1},
    {"Karnali", "Dolpa", 4, 0, 1},          {"Karnali", "Kalikot", 15, 0, 1},
};
static const char *const np_male[] = {
    "Ram",     "Shyam",   "Hari",     "Krishna", "Bikash", "Suresh", "Ramesh",
    "Dipak",   "Santosh", "Rajendra", "Prakash", "Bishnu", "Gopal",  "Mohan",
    "Narayan", "Sanjay",  "Anil",     "Dinesh",  "Kiran",  "Rabin",  "Sagar",
    "Nabin",   "Bijay",   "Ganesh",   "Tek",     "Bal",    "Dil",    "Padam",
};
static const char *const np_female[] = {
    "Sita",    "Gita",     "Laxmi",   "Maya",     "Sarita", "Sunita",     "Kamala",
    "Radha",   "Parbati",  "Durga",   "Anita",    "Sabina", "Manisha",    "Puja",
    "Srijana", "Bimala",   "Sushila", "Januka",   "Mina",   "Rita",       "Kabita",
    "Asmita",  "Samjhana", "Goma",    "Dhanmaya", "Tulasi", "Bishnumaya", "Pabitra",
};
/* Regular surnames, then 7 Dalit surnames, then 4 names of endangered indigenous groups. */
static const char *const np_family[] = {
    "Sharma",   "Adhikari",    "Thapa",     "Gurung",   "Tamang",    "Magar",
    "Rai",      "Limbu",       "Shrestha",  "Maharjan", "Karki",     "Khadka",
    "Bhandari", "Poudel",      "Bhattarai", "Yadav",    "Chaudhary", "Tharu",
    "Rokaya",   "Budha",       "Shahi",     "Malla",    "Rawal",     "Neupane",
    "Dhakal",   "Bishwakarma", "Pariyar",   "Sarki",    "Kami",      "Damai",
    "Sunar",    "Nepali",      "Kusunda",   "Raute",    "Surel",     "Bankariya",
};
static const char *const np_employers[] = {
    "Himal Garments Pvt. Ltd.", "Sagarmatha Builders",  "Annapurna Hotels, Pvt. Ltd.",
    "Koshi Tea Estate",         "Bagmati Carpet Udyog", "Ministry of Education",
    "Hotel \"Everest View\"",
};

/* India */
static const struct district in_districts[] = {
    {"Uttar Pradesh", "Lucknow", 46, 0, 0},
    {"Uttar Pradesh", "Varanasi", 40, 0, 0},
    {"Bihar", "Patna", 58, 0, 0},
    {"Bihar", "Gaya", 44, 0, 0},
    {"Maharashtra", "Mumbai Suburban", 94, 1, 0},
    {"Maharashtra", "Pune", 94, 0, 0},
    {"Maharashtra", "Thane", 110, 0, 0},
    {"West Bengal", "Kolkata", 45, 1, 0},
    {"West Bengal", "Murshidabad", 71, 0, 0},
    {"Tamil Nadu", "Chennai", 46, 1, 0},
    {"Tamil Nadu", "Madurai", 30, 0, 0},
    {"Rajasthan", "Jaipur", 66, 0, 0},
    {"Gujarat", "Ahmedabad", 72, 0, 0},
    {"Karnataka", "Bengaluru Urban", 96, 1, 0},
    {"Odisha", "Khordha", 23, 0, 0},
};
static const char *const in_male[] = {
    "Rajesh",   "Suresh", "Amit",   "Rahul",    "Vijay",     "Sunil",   "Anil",     "Manoj",
    "Ravi",     "Sanjay", "Ashok",  "Deepak",   "Arun",      "Ramesh",  "Mahesh",   "Prakash",
    "Santosh",  "Rakesh", "Mukesh", "Dinesh",   "Vikas",     "Ajay",    "Mohammed", "Abdul",
    "Gurpreet", "Harish", "Naveen", "Srinivas", "Venkatesh", "Murugan",
};
static const char *const in_female[] = {
    "Sunita",  "Anita",  "Pooja",   "Priya",  "Kavita",    "Rekha",   "Neha",  "Geeta",
    "Lakshmi", "Meena",  "Savita",  "Asha",   "Usha",      "Shanti",  "Rani",  "Seema",
    "Deepa",   "Radha",  "Sarita",  "Fatima", "Nasreen",   "Jyoti",   "Manju", "Anjali",
    "Divya",   "Lalita", "Parvati", "Kamala", "Saraswati", "Shabnam",
};
static const char *const in_family[] = {
    "Kumar",  "Singh",  "Sharma", "Yadav",  "Patel",  "Gupta",  "Verma",   "Das",        "Reddy",
    "Nair",   "Pillai", "Iyer",   "Mishra", "Pandey", "Tiwari", "Chauhan", "Jadhav",     "Patil",
    "Shaikh", "Khan",   "Ansari", "Rao",    "Naidu",  "Mondal", "Ghosh",   "Chatterjee", "Banerjee",
    "Paswan", "Mandal", "Jha",    "Thakur", "Gowda",  "Shetty", "Bhat",
};
static const char *const in_employers[] = {
    "Ganga Textiles Ltd.",       "Deccan Infra Projects", "Shakti Steel, Pvt. Ltd.",
    "Sunrise Software Services", "Indian Railways",       "Coromandel Agro Foods",
};

/* Bangladesh */
static const struct district bd_districts[] = {
    {"Dhaka", "Dhaka", 150, 1, 0},           {"Dhaka", "Gazipur", 53, 0, 0},
    {"Dhaka", "Narayanganj", 39, 0, 0},      {"Chattogram", "Chattogram", 91, 0, 0},
    {"Chattogram", "Cox's Bazar", 29, 0, 0}, {"Chattogram", "Cumilla", 62, 0, 0},
    {"Rajshahi", "Rajshahi", 27, 0, 0},      {"Rajshahi", "Bogura", 38, 0, 0},
    {"Khulna", "Khulna", 24, 0, 0},          {"Sylhet", "Sylhet", 39, 0, 0},
    {"Rangpur", "Rangpur", 31, 0, 0},        {"Mymensingh", "Mymensingh", 59, 0, 0},
    {"Barishal", "Barishal", 24, 0, 0},
};
static const char *const bd_male[] = {
    "Mohammad", "Abdul",  "Rahim", "Karim",  "Jamal",  "Kamal",    "Rafiq",
    "Shafiq",   "Habib",  "Anwar", "Nurul",  "Aminul", "Saiful",   "Mizanur",
    "Shahidul", "Rashed", "Sohel", "Faruk",  "Mamun",  "Jahangir", "Mostafa",
    "Alamgir",  "Hasan",  "Rubel", "Shipon", "Liton",  "Biplob",   "Tapan",
};
static const char *const bd_female[] = {
    "Fatema",  "Ayesha",  "Nasrin", "Shahnaz", "Rokeya", "Salma",  "Rehana",
    "Jesmin",  "Shirin",  "Nazma",  "Rina",    "Shilpi", "Popy",   "Moushumi",
    "Sharmin", "Taslima", "Laila",  "Rupa",    "Mitu",   "Shathi", "Parveen",
    "Hasina",  "Khadija", "Rumana", "Tania",   "Lipi",   "Mukta",  "Morium",
};
static const char *const bd_family[] = {
    "Hossain",   "Rahman", "Islam",  "Ahmed",    "Uddin",    "Ali",    "Khan",
    "Chowdhury", "Sarkar", "Mia",    "Sheikh",   "Talukder", "Mollah", "Bhuiyan",
    "Howlader",  "Biswas", "Das",    "Roy",      "Saha",     "Paul",   "Haque",
    "Sikder",    "Munshi", "Mridha", "Pramanik", "Mahmud",   "Kabir",  "Alam",
};
static const char *const bd_employers[] = {
    "Padma Knitwear Ltd.", "Meghna Garments",    "Jamuna Shipbuilders, Ltd.",
    "Sundarban Foods",     "Bangladesh Railway", "Karnaphuli Fertilizer Works",
};

/* Pakistan */
static const struct district pk_districts[] = {
    {"Punjab", "Lahore", 130, 1, 0},
    {"Punjab", "Faisalabad", 90, 0, 0},
    {"Punjab", "Rawalpindi", 60, 0, 0},
    {"Punjab", "Multan", 53, 0, 0},
    {"Punjab", "Bahawalpur", 41, 0, 0},
    {"Sindh", "Karachi Central", 30, 1, 0},
    {"Sindh", "Karachi East", 30, 1, 0},
    {"Sindh", "Hyderabad", 24, 0, 0},
    {"Khyber Pakhtunkhwa", "Peshawar", 47, 0, 0},
    {"Khyber Pakhtunkhwa", "Swat", 27, 0, 0},
    {"Balochistan", "Quetta", 26, 0, 0},
    {"Islamabad Capital Territory", "Islamabad", 24, 1, 0},
};
static const char *const pk_male[] = {
    "Muhammad", "Imran", "Asif",   "Tariq",  "Khalid", "Bilal", "Usman",  "Faisal",
    "Shahid",   "Zahid", "Naveed", "Kashif", "Rizwan", "Waqar", "Sajid",  "Adnan",
    "Irfan",    "Javed", "Nadeem", "Shoaib", "Hamza",  "Umar",  "Zubair", "Arshad",
    "Amjad",    "Aslam", "Akram",  "Ghulam", "Nasir",
};
static const char *const pk_female[] = {
    "Ayesha",  "Fatima",   "Zainab",  "Sana",    "Hina",   "Amna",   "Saima",
    "Nadia",   "Rabia",    "Sadia",   "Asma",    "Bushra", "Shazia", "Nazia",
    "Farzana", "Samina",   "Shabana", "Mehwish", "Iqra",   "Maryam", "Sidra",
    "Uzma",    "Rukhsana", "Tahira",  "Parveen", "Razia",  "Sobia",  "Noreen",
};
static const char *const pk_family[] = {
    "Khan",    "Ahmed",     "Ali",    "Hussain",  "Shah",   "Malik",  "Butt",   "Chaudhry",
    "Qureshi", "Raja",      "Awan",   "Mughal",   "Sheikh", "Rajput", "Jatt",   "Baloch",
    "Khattak", "Yousafzai", "Afridi", "Siddiqui", "Abbasi", "Iqbal",  "Akhtar", "Bhatti",
    "Gill",    "Memon",     "Soomro", "Bugti",    "Marri",
};
static const char *const pk_employers[] = {
    "Indus Textile Mills", "Ravi Cement Ltd.", "Chenab Sports Goods, Pvt. Ltd.",
    "Karakoram Logistics", "Pakistan Post",    "Margalla Pharma",
};

/* Indonesia */
static const struct district id_districts[] = {
    {"DKI Jakarta", "Jakarta Selatan", 23, 1, 0},
    {"DKI Jakarta", "Jakarta Timur", 30, 1, 0},
    {"Jawa Barat", "Bandung", 37, 0, 0},
    {"Jawa Barat", "Bekasi", 31, 0, 0},
    {"Jawa Barat", "Bogor", 55, 0, 0},
    {"Jawa Tengah", "Semarang", 17, 0, 0},
    {"Jawa Tengah", "Surakarta", 5, 1, 0},
    {"Jawa Timur", "Surabaya", 29, 1, 0},
    {"Jawa Timur", "Malang", 27, 0, 0},
    {"Sumatera Utara", "Medan", 24, 1, 0},
    {"Sulawesi Selatan", "Makassar", 15, 1, 0},
    {"Bali", "Denpasar", 7, 1, 0},
    {"Sumatera Selatan", "Palembang", 17, 0, 0},
};
static const char *const id_male[] = {
    "Budi",  "Agus",   "Joko",  "Eko",    "Dedi",  "Hendra", "Rudi", "Andi", "Bambang", "Slamet",
    "Wahyu", "Yusuf",  "Arif",  "Bayu",   "Rizki", "Fajar",  "Hadi", "Iwan", "Teguh",   "Sugeng",
    "Ahmad", "Rahmat", "Ilham", "Gilang", "Dimas", "Taufik", "Heru", "Made",
};
static const char *const id_female[] = {
    "Siti",   "Sri",     "Dewi",    "Ani",     "Ratna", "Wati",    "Yuni",
    "Endang", "Lestari", "Rina",    "Indah",   "Fitri", "Ayu",     "Putri",
    "Sari",   "Wulan",   "Kartini", "Suryani", "Ratih", "Wahyuni", "Nining",
    "Tuti",   "Rahayu",  "Novita",  "Mega",    "Intan", "Citra",   "Yanti",
};
static const char *const id_family[] = {
    "Santoso",     "Wijaya",  "Saputra",  "Hidayat",   "Setiawan",   "Pratama",
    "Kurniawan",   "Susanto", "Gunawan",  "Nugroho",   "Siregar",    "Nasution",
    "Simanjuntak", "Lubis",   "Harahap",  "Sitompul",  "Tanjung",    "Purba",
    "Sinaga",      "Hutapea", "Wibowo",   "Halim",     "Rahardjo",   "Sembiring",
    "Ginting",     "Tarigan", "Manurung", "Panjaitan", "Situmorang", "Hasibuan",
};
static const char *const id_employers[] = {
    "PT Nusantara Tekstil", "PT Merapi Konstruksi", "PT Bengawan Pangan, Tbk",
    "CV Sumber Rejeki",     "PT Samudra Logistik",  "Pemerintah Kota",
};

/* Philippines */
static const struct district ph_districts[] = {
    {"National Capital Region", "Quezon City", 30, 1, 0},
    {"National Capital Region", "Manila", 18, 1, 0},
    {"Calabarzon", "Cavite", 43, 0, 0},
    {"Calabarzon", "Laguna", 34, 0, 0},
    {"Central Visayas", "Cebu", 30, 0, 0},
    {"Davao Region", "Davao del Sur", 7, 0, 0},
    {"Central Luzon", "Pampanga", 25, 0, 0},
    {"Central Luzon", "Bulacan", 37, 0, 0},
    {"Western Visayas", "Iloilo", 20, 0, 0},
    {"Ilocos Region", "Pangasinan", 31, 0, 0},
    {"Western Visayas", "Negros Occidental", 26, 0, 0},
};
static const char *const ph_male[] = {
    "Jose",    "Juan",      "Antonio", "Mark",     "John",   "Michael", "Jerome",  "Rodel",
    "Ramon",   "Roberto",   "Eduardo", "Reynaldo", "Danilo", "Ernesto", "Rogelio", "Jun",
    "Ariel",   "Christian", "Joel",    "Romeo",    "Alvin",  "Ronald",  "Dennis",  "Noel",
    "Rolando", "Arnel",     "Jomar",   "Renato",   "Efren",  "Mario",
};
static const char *const ph_female[] = {
    "Maria",   "Ana",    "Rosa",     "Cristina", "Jennifer", "Michelle",  "Marites", "Rowena",
    "Lorna",   "Elena",  "Teresita", "Gloria",   "Erlinda",  "Rosalinda", "Maricel", "Jocelyn",
    "Mylene",  "Analyn", "Rhea",     "Grace",    "Angelica", "Kristine",  "Liza",    "Evangeline",
    "Corazon", "Imelda", "Leonora",  "Perla",    "Charito",  "Lourdes",
};
static const char *const ph_family[] = {
    "Santos", "Reyes",   "Cruz",     "Bautista", "Ocampo",     "Garcia",    "Mendoza", "Torres",
    "Tomas",  "Andrada", "Castillo", "Flores",   "Villanueva", "Ramos",     "Castro",  "Rivera",
    "Aquino", "Navarro", "Salazar",  "Mercado",  "Lopez",      "Gonzales",  "Dizon",   "Soriano",
    "Manalo", "Pascual", "Aguilar",  "Domingo",  "Valdez",     "Fernandez", "Lim",     "Tan",
};
static const char *const ph_employers[] = {
    "Bayanihan Manufacturing Corp.", "Luzon BPO Services, Inc.", "Visayas Shipping Lines",
    "Mindanao Fruit Growers",        "Department of Education",  "Taal Construction",
};

/* Cambodia */
static const struct district kh_districts[] = {
    {"Phnom Penh", "Chamkar Mon", 7, 1, 0},
    {"Phnom Penh", "Daun Penh", 5, 1, 0},
    {"Phnom Penh", "Mean Chey", 12, 1, 0},
    {"Phnom Penh", "Pou Senchey", 30, 1, 0},
    {"Siem Reap", "Siem Reab", 25, 0, 0},
    {"Battambang", "Battambang", 15, 0, 0},
    {"Kampong Cham", "Kampong Siem", 10, 0, 0},
    {"Takeo", "Doun Kaev", 4, 0, 0},
    {"Kandal", "Ta Khmau", 8, 0, 0},
    {"Pursat", "Sampov Meas", 10, 0, 0},
    {"Kampong Thom", "Stueng Saen", 8, 0, 0},
    {"Banteay Meanchey", "Serei Saophoan", 10, 0, 0},
    {"Kampot", "Kampot", 5, 0, 0},
};
static const char *const kh_male[] = {
    "Dara",    "Vuthy",   "Rithy",   "Sophal",    "Vannak",  "Visal",     "Kosal",
    "Samnang", "Sovann",  "Piseth",  "Bunthoeun", "Sokhom",  "Chamroeun", "Kimsan",
    "Sarin",   "Ratha",   "Sambath", "Makara",    "Veasna",  "Chhay",     "Narith",
    "Phirun",  "Sopheak", "Vibol",   "Chanrith",  "Sokheng",
};
static const char *const kh_female[] = {
    "Sreymom", "Sreyneang", "Chanthy",  "Sophea", "Pisey",    "Bopha", "Channary",
    "Kunthea", "Malis",     "Sreypov",  "Dalin",  "Leakhena", "Sothy", "Chenda",
    "Phalla",  "Rachana",   "Sreyleak", "Bormey", "Vanna",    "Thida", "Socheata",
    "Navy",    "Kanha",     "Chantrea", "Mealea", "Sophorn",
};
static const char *const kh_family[] = {
    "Sok",  "Chan",  "Kim",   "Heng",  "Ly",    "Lim",  "Meas", "Chea", "Seng", "Keo",
    "Prak", "Phan",  "Sim",   "Touch", "Hun",   "Nget", "Mao",  "Ouk",  "Sun",  "Yim",
    "Pich", "Roeun", "Chhim", "Nuon",  "Chhun", "Long", "Sam",  "Srey", "Yon",  "Vong",
};
static const char *const kh_employers[] = {
    "Mekong Garment Co., Ltd.", "Angkor Hospitality",     "Tonle Sap Fisheries",
    "Bayon Construction",       "Phnom Penh Water Works", "Kampot Salt Co.",
};

/* Mongolia */
static const struct district mn_districts[] = {
    {"Ulaanbaatar", "Bayanzurkh", 40, 1, 0},
    {"Ulaanbaatar", "Songinokhairkhan", 33, 1, 0},
    {"Ulaanbaatar", "Chingeltei", 16, 1, 0},
    {"Ulaanbaatar", "Bayangol", 23, 1, 0},
    {"Arkhangai", "Tsetserleg", 14, 0, 0},
    {"Ovorkhangai", "Arvaikheer", 17, 0, 0},
    {"Khovd", "Jargalant", 14, 0, 0},
    {"Dornod", "Kherlen", 12, 0, 0},
    {"Tov", "Zuunmod", 14, 0, 0},
    {"Govi-Altai", "Yesonbulag", 9, 0, 0},
    {"Khovsgol", "Moron", 21, 0, 0},
    {"Bayan-Olgii", "Olgii", 17, 0, 0},
};
static const char *const mn_male[] = {
    "Bat",       "Bold",      "Ganbaatar",  "Batbayar",    "Erdene",     "Munkh",
    "Tumur",     "Enkhbayar", "Otgonbayar", "Gantulga",    "Sukhbaatar", "Temuulen",
    "Battulga",  "Purevdorj", "Ochir",      "Tsogt",       "Ankhbayar",  "Baatar",
    "Chinzorig", "Davaa",     "Ganzorig",   "Naranbaatar", "Tuvshin",    "Zorig",
};
static const char *const mn_female[] = {
    "Oyun",     "Saraa",       "Enkhjargal", "Altantsetseg", "Narantsetseg", "Bolormaa",
    "Tsetseg",  "Oyuntsetseg", "Sarnai",     "Uranchimeg",   "Tungalag",     "Nomin",
    "Anu",      "Khulan",      "Solongo",    "Gerel",        "Odgerel",      "Delger",
    "Munkhzul", "Bayarmaa",    "Nyamaa",     "Tsolmon",      "Urantsetseg",  "Zaya",
};
static const char *const mn_family[] = {
    "Borjigin", "Khalkha",  "Tayichiud", "Uriankhai", "Khereid", "Jalair", "Besud",    "Olkhonud",
    "Tsoros",   "Khatagin", "Baarin",    "Uuld",      "Torguud", "Dorvod", "Darkhad",  "Buriad",
    "Tsagaan",  "Zaisan",   "Sartuul",   "Khoton",    "Bayad",   "Barga",  "Zakhchin", "Sartul",
};
static const char *const mn_employers[] = {
    "Altai Cashmere LLC", "Tuul Construction",   "Orkhon Mining, LLC",
    "Khangai Dairy",      "Ulaanbaatar Railway", "Gobi Logistics",
};

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

/*
 * category weights, by enum worker_category: -, formal_employee, informal, self_employed,
 * domestic, home_based, migrant, herder, platform, agricultural, sex_worker.
 */
static const struct country countries[] = {
    {
        .code = "NP",
        .currency = "NPR",
        .mix = 30,
        .districts = np_districts,
        .n_districts = COUNT(np_districts),
        .male = np_male,
        .n_male = COUNT(np_male),
        .female = np_female,
        .n_female = COUNT(np_female),
        .family = np_family,
        .n_family = COUNT(np_family),
        .employers = np_employers,
        .n_employers = COUNT(np_employers),
        .n_dalit_family = 7,
        .n_endangered_family = 4,
        .dalit = 130,
        .endangered = 4,
        .pyramid = {85, 92, 100, 103, 93, 83, 74, 66, 59, 52, 46, 40, 33, 27, 20, 13, 8, 4, 2},
        .household_size = {4, 9, 16, 23, 20, 14, 8, 6},
        .women_working = 550,
        .category = {0, 160, 150, 110, 25, 25, 70, 0, 5, 450, 5},
        .disability = 25,
        .wage_low = 15000,
        .wage_high = 60000,
        .wage_step = 500,
        .phone_prefix = "+97798",
        .phone_digits = 8,
    },
    {
        .code = "IN",
        .currency = "INR",
        .mix = 600,
        .districts = in_districts,
        .n_districts = COUNT(in_districts),
        .male = in_male,
        .n_male = COUNT(in_male),
        .female = in_female,
        .n_female = COUNT(in_female),
        .family = in_family,
        .n_family = COUNT(in_family),
        .employers = in_employers,
        .n_employers = COUNT(in_employers),
        .pyramid = {76, 81, 85, 87, 88, 86, 82, 76, 69, 61, 53, 45, 37, 29, 21, 13, 7, 3, 1},
        .household_size = {3, 9, 16, 25, 21, 13, 7, 6},
        .women_working = 330,
        .category = {0, 120, 200, 150, 40, 40, 25, 0, 20, 400, 5},
        .disability = 15,
        .wage_low = 8000,
        .wage_high = 40000,
        .wage_step = 500,
        .phone_prefix = "+919",
        .phone_digits = 9,
    },
    {
        .code = "BD",
        .currency = "BDT",
        .mix = 75,
        .districts = bd_districts,
        .n_districts = COUNT(bd_districts),
        .male = bd_male,
        .n_male = COUNT(bd_male),
        .female = bd_female,
        .n_female = COUNT(bd_female),
        .family = bd_family,
        .n_family = COUNT(bd_family),
        .employers = bd_employers,
        .n_employers = COUNT(bd_employers),
        .pyramid = {85, 88, 93, 94, 91, 86, 80, 72, 64, 56, 48, 40, 33, 26, 18, 11, 6, 3, 1},
        .household_size = {3, 10, 22, 28, 19, 10, 5, 3},
        .women_working = 400,
        .category = {0, 150, 180, 150, 40, 50, 40, 0, 5, 380, 5},
        .disability = 15,
        .wage_low = 8000,
        .wage_high = 30000,
        .wage_step = 500,
        .phone_prefix = "+8801",
        .phone_digits = 9,
    },
    {
        .code = "PK",
        .currency = "PKR",
        .mix = 100,
        .districts = pk_districts,
        .n_districts = COUNT(pk_districts),
        .male = pk_male,
        .n_male = COUNT(pk_male),
        .female = pk_female,
        .n_female = COUNT(pk_female),
        .family = pk_family,
        .n_family = COUNT(pk_family),
        .employers = pk_employers,
        .n_employers = COUNT(pk_employers),
        .pyramid = {125, 118, 110, 105, 97, 86, 73, 62, 52, 44, 37, 30, 23, 17, 11, 6, 3, 1, 1},
        .household_size = {2, 5, 9, 14, 17, 18, 17, 18},
        .women_working = 250,
        .category = {0, 280, 170, 120, 30, 50, 20, 0, 5, 320, 5},
        .disability = 15,
        .wage_low = 25000,
        .wage_high = 80000,
        .wage_step = 1000,
        .phone_prefix = "+923",
        .phone_digits = 9,
    },
    {
        .code = "ID",
        .currency = "IDR",
        .mix = 120,
        .districts = id_districts,
        .n_districts = COUNT(id_districts),
        .male = id_male,
        .n_male = COUNT(id_male),
        .female = id_female,
        .n_female = COUNT(id_female),
        .family = id_family,
        .n_family = COUNT(id_family),
        .employers = id_employers,
        .n_employers = COUNT(id_employers),
        .pyramid = {79, 83, 84, 83, 81, 79, 77, 75, 72, 66, 59, 50, 40, 30, 20, 12, 6, 3, 1},
        .household_size = {7, 15, 22, 26, 16, 8, 4, 2},
        .women_working = 550,
        .category = {0, 400, 150, 150, 25, 20, 15, 0, 15, 220, 5},
        .disability = 15,
        .wage_low = 2500000,
        .wage_high = 10000000,
        .wage_step = 50000,
        .phone_prefix = "+628",
        .phone_digits = 10,
    },
    {
        .code = "PH",
        .currency = "PHP",
        .mix = 50,
        .districts = ph_districts,
        .n_districts = COUNT(ph_districts),
        .male = ph_male,
        .n_male = COUNT(ph_male),
        .female = ph_female,
        .n_female = COUNT(ph_female),
        .family = ph_family,
        .n_family = COUNT(ph_family),
        .employers = ph_employers,
        .n_employers = COUNT(ph_employers),
        .pyramid = {98, 99, 99, 96, 91, 84, 75, 67, 60, 53, 46, 39, 32, 24, 16, 9, 5, 2, 1},
        .household_size = {6, 12, 18, 22, 18, 12, 7, 5},
        .women_working = 480,
        .category = {0, 600, 90, 90, 30, 10, 15, 0, 10, 150, 5},
        .disability = 15,
        .wage_low = 12000,
        .wage_high = 40000,
        .wage_step = 500,
        .phone_prefix = "+639",
        .phone_digits = 9,
    },
    {
        .code = "KH",
        .currency = "KHR",
        .mix = 15,
        .districts = kh_districts,
        .n_districts = COUNT(kh_districts),
        .male = kh_male,
        .n_male = COUNT(kh_male),
        .female = kh_female,
        .n_female = COUNT(kh_female),
        .family = kh_family,
        .n_family = COUNT(kh_family),
        .employers = kh_employers,
        .n_employers = COUNT(kh_employers),
        .pyramid = {95, 94, 92, 86, 86, 85, 82, 73, 60, 50, 44, 38, 31, 24, 16, 9, 5, 2, 1},
        .household_size = {4, 10, 18, 23, 20, 13, 7, 5},
        .women_working = 750,
        .category = {0, 200, 180, 150, 20, 20, 20, 0, 5, 400, 5},
        .disability = 15,
        .wage_low = 800000,
        .wage_high = 2500000,
        .wage_step = 10000,
        .phone_prefix = "+8551",
        .phone_digits = 8,
    },
    {
        .code = "MN",
        .currency = "MNT",
        .mix = 10,
        .districts = mn_districts,
        .n_districts = COUNT(mn_districts),
        .male = mn_male,
        .n_male = COUNT(mn_male),
        .female = mn_female,
        .n_female = COUNT(mn_female),
        .family = mn_family,
        .n_family = COUNT(mn_family),
        .employers = mn_employers,
        .n_employers = COUNT(mn_employers),
        .pyramid = {100, 102, 88, 72, 66, 73, 82, 79, 71, 62, 54, 45, 37, 26, 17, 10, 6, 3, 1},
        .household_size = {10, 14, 22, 26, 16, 7, 3, 2},
        .women_working = 550,
        .category = {0, 550, 100, 110, 10, 10, 10, 700, 15, 0, 5},
        .disability = 15,
        .wage_low = 600000,
        .wage_high = 2500000,
        .wage_step = 10000,
        .phone_prefix = "+9769",
        .phone_digits = 7,
    },
};

#define N_COUNTRIES COUNT(countries)

/* Share of households headed by someone of each age band (beside the pyramid), per mille. */
static const uint16_t headship[AGE_BANDS] = {0,    0,    0,   0,   300, 600, 900, 1000, 1000, 1000,
                                             1000, 1000, 800, 700, 550, 400, 250, 120,  40};

/* Random numbers: xoshiro256** (Blackman and Vigna), seeded through splitmix64. */
static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static uint64_t mix64(uint64_t z)
{
    return splitmix64(&z);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(struct population *g)
{
    uint64_t *s = g->rng;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* A number in [0, n), n > 0 (Lemire's multiply-shift; the bias is below 2^-32). */
static uint32_t rng_below(struct population *g, uint32_t n)
{
    return (uint32_t)(((rng_next(g) >> 32) * (uint64_t)n) >> 32);
}

/* A number in [lo, hi]. */
static int rng_range(struct population *g, int lo, int hi)
{
    return lo + (int)rng_below(g, (uint32_t)(hi - lo + 1));
}

/* 1 with probability permille / 1000. */
static int rng_chance(struct population *g, int permille)
{
    return (int)rng_below(g, PERMILLE) < permille;
}

/* An index drawn with the given weights (not all zero). */
static int rng_weighted(struct population *g, const uint16_t *weights, int n)
{
    uint32_t total = 0;
    for (int i = 0; i < n; i++)
        total += weights[i];
    uint32_t r = rng_below(g, total);
    for (int i = 0; i < n; i++) {
        if (r < weights[i])
            return i;
        r -= weights[i];
    }
    return n - 1;
}

#define DISTRICTS_MAX 32 /* districts of one country */

static int district_weighted(struct population *g, const struct country *c)
{
    uint16_t weights[DISTRICTS_MAX];
    assert(c->n_districts <= DISTRICTS_MAX);
    for (int i = 0; i < c->n_districts; i++)
        weights[i] = c->districts[i].weight;
    return rng_weighted(g, weights, c->n_districts);
}

static int country_index(const char *code)
{
    for (int i = 0; i < N_COUNTRIES; i++)
        if (strcmp(countries[i].code, code) == 0)
            return i;
    return -1;
}

static int total_districts(void)
{
    int n = 0;
    for (int i = 0; i < N_COUNTRIES; i++)
        n += countries[i].n_districts;
    return n;
}

static int district_offset(int country)
{
    int n = 0;
    for (int i = 0; i < country; i++)
        n += countries[i].n_districts;
    return n;
}

static int family_stride(void)
{
    int n = 0;
    for (int i = 0; i < N_COUNTRIES; i++)
        if (countries[i].n_family > n)
            n = countries[i].n_family;
    return n;
}

static size_t stratum_total(void)
{
    return (size_t)total_districts() * (POPULATION_AGE_MAX + 1) * (size_t)family_stride() * 2;
}

void population_options_init(struct population_options *o)
{
    o->seed = 1;
    o->country = NULL;
    o->reference_date = date_from_civil(REFERENCE_YEAR, 1, 1);
}

int population_init(struct population *g, const struct population_options *o, struct error *err)
{
    memset(g, 0, sizeof *g);
    g->country = -1;
    if (o->country != NULL) {
        g->country = country_index(o->country);
        if (g->country < 0)
            return error_set(err, SP_BAD_INPUT,
                             "country \"%s\" is not one the generator knows: use NP, IN, BD, "
                             "PK, ID, PH, KH or MN",
                             o->country);
    }
    g->stratum_count = sp_calloc(stratum_total(), sizeof *g->stratum_count);
    if (g->stratum_count == NULL)
        return error_nomem(err);
    uint64_t x = o->seed;
    for (int i = 0; i < 4; i++)
        g->rng[i] = splitmix64(&x);
    g->seed = o->seed;
    g->reference_date = o->reference_date;
    g->reference_year = date_to_civil(o->reference_date).year;
    return SP_OK;
}

void population_release(struct population *g)
{
    sp_free(g->stratum_count);
    g->stratum_count = NULL;
}

int population_country_count(void)
{
    return N_COUNTRIES;
}

const char *population_country_code(int i)
{
    return i >= 0 && i < N_COUNTRIES ? countries[i].code : "";
}

/*
 * Each country's population in 2023, as the United Nations' World Population Prospects 2022
 * estimates it, in the rounding UNFPA publishes (State of World Population 2023, demographic
 * indicators, millions to one decimal place).
 */
static const struct {
    const char *code;
    int64_t people;
} people[] = {
    {"IN", 1428600000}, {"ID", 277500000}, {"PK", 240500000}, {"BD", 173000000},
    {"PH", 117300000},  {"NP", 30900000},  {"KH", 16900000},  {"MN", 3400000},
};

int64_t population_country_people(const char *code)
{
    for (int i = 0; i < COUNT(people); i++)
        if (strcmp(people[i].code, code) == 0)
            return people[i].people;
    return 0;
}

int population_is_karnali_zone(const char *admin2)
{
    for (int i = 0; i < COUNT(np_districts); i++)
        if (np_districts[i].karnali && strcmp(np_districts[i].admin2, admin2) == 0)
            return 1;
    return 0;
}

/*
 * A keyed permutation of [0, n) (n <= 2^30): a four-round Feistel network over the smallest
 * even power of two >= n, with cycle walking back into range.
 */
static uint32_t permute(uint32_t x, uint32_t n, uint64_t key)
{
    int bits = 2;
    while ((1u << bits) < n)
        bits++;
    bits += bits & 1;
    int half = bits / 2;
    uint32_t mask = (1u << half) - 1;
    do {
        uint32_t l = x >> half, r = x & mask;
        for (uint64_t round = 0; round < 4; round++) {
            uint32_t f = (uint32_t)mix64(key ^ (round << 40) ^ r) & mask;
            uint32_t t = l ^ f;
            l = r;
            r = t;
        }
        x = (l << half) | r;
    } while (x >= n);
    return x;
}

/* Writes n decimal digits of v (zero-padded) at out, without a terminator. */
static void put_digits(char *out, uint64_t v, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        out[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

/*
 * The bijection behind national IDs: a four-round Feistel network over the decimal numbers
 * below 10^(2*half), keyed by the seed (so consecutive serials give unrelated numbers).
 */
static uint64_t digit_permute(uint64_t x, int half, uint64_t seed)
{
    uint64_t m = 1;
    for (int i = 0; i < half; i++)
        m *= 10;
    uint64_t l = x / m % m, r = x % m;
    for (uint64_t round = 0; round < 4; round++) {
        uint64_t t = (l + mix64(seed ^ (round << 56) ^ r) % m) % m;
        l = r;
        r = t;
    }
    return l * m + r;
}

/* serial (below 10^digits) -> a scrambled number below 10^digits, one-to-one. */
static uint64_t scramble(uint64_t serial, int digits, uint64_t seed)
{
    if (digits % 2 == 0)
        return digit_permute(serial, digits / 2, seed);
    /* An odd number of digits: walk the cycle of the next even size back into range. */
    uint64_t limit = 1;
    for (int i = 0; i < digits; i++)
        limit *= 10;
    uint64_t x = serial;
    do
        x = digit_permute(x, (digits + 1) / 2, seed);
    while (x >= limit);
    return x;
}

/*
 * A national ID in the country's shape; unique per serial below 10^9 (10^8 for Mongolia).
 * district picks a regional prefix where the real numbers have one.
 */
static void national_id(const struct population *g, const struct country *c, int district,
                        uint64_t serial, char *out)
{
    char *p = out;
    if (strcmp(c->code, "MN") == 0) { /* register number: two letters, eight digits */
        *p++ = (char)('A' + district % 26);
        *p++ = (char)('A' + (district * 7 + 3) % 26);
        put_digits(p, scramble(serial, 8, g->seed), 8);
        p += 8;
    } else if (strcmp(c->code, "KH") == 0) { /* nine digits */
        put_digits(p, scramble(serial, 9, g->seed), 9);
        p += 9;
    } else {
        uint64_t x = scramble(serial, 10, g->seed);
        if (strcmp(c->code, "IN") == 0) { /* Aadhaar: 12 digits, not starting with 0 or 1 */
            *p++ = (char)('2' + district % 8);
            *p++ = (char)('0' + district % 10);
            put_digits(p, x, 10);
            p += 10;
        } else if (strcmp(c->code, "PK") == 0) { /* CNIC: 35202-1234567-1 */
            put_digits(p, (uint64_t)(31 + district) * 100 + x / 100000000, 5);
            p += 5;
            *p++ = '-';
            put_digits(p, x / 10 % 10000000, 7);
            p += 7;
            *p++ = '-';
            *p++ = (char)('0' + x % 10);
        } else if (strcmp(c->code, "ID") == 0) { /* NIK: 16 digits, region code first */
            put_digits(p, 317101 + (uint64_t)district * 101, 6);
            p += 6;
            put_digits(p, x, 10);
            p += 10;
        } else if (strcmp(c->code, "PH") == 0) { /* PhilSys-like 0000-0000-0000 */
            put_digits(p, (uint64_t)(10 + district) * 100 + x / 100000000, 4);
            p += 4;
            *p++ = '-';
            put_digits(p, x / 10000 % 10000, 4);
            p += 4;
            *p++ = '-';
            put_digits(p, x % 10000, 4);
            p += 4;
        } else if (strcmp(c->code, "NP") == 0) { /* 000-000-0000 */
            put_digits(p, x / 10000000, 3);
            p += 3;
            *p++ = '-';
            put_digits(p, x / 10000 % 1000, 3);
            p += 3;
            *p++ = '-';
            put_digits(p, x % 10000, 4);
            p += 4;
        } else { /* BD: ten digits */
            put_digits(p, x, 10);
            p += 10;
        }
    }
    *p = '\0';
}

static void phone(struct population *g, const struct country *c, char *out)
{
    size_t n = strlen(c->phone_prefix);
    memcpy(out, c->phone_prefix, n);
    for (int i = 0; i < c->phone_digits; i++)
        out[n + (size_t)i] = (char)('0' + rng_below(g, 10));
    out[n + (size_t)c->phone_digits] = '\0';
}

/* Appends item to a ';'-separated list of size PERSON_LIST_SIZE. */
static void list_add(char *list, const char *item)
{
    size_t n = strlen(list), k = strlen(item);
    if (n + k + 2 > PERSON_LIST_SIZE)
        return;
    if (n > 0)
        list[n++] = ';';
    memcpy(list + n, item, k + 1);
}

/* Like person_init: every field unset. */
static void person_clear(struct person *p)
{
    memset(p, 0, sizeof *p);
    p->birth_date = DATE_NONE;
    p->employment_start = DATE_NONE;
    p->living_children = -1;
}

/* What a household member is before the details are filled in. */
struct member {
    int age;          /* completed years on the reference date, 0..POPULATION_AGE_MAX */
    int female;       /* 1 female, 0 male */
    int relationship; /* enum relationship */
    int marital;      /* enum marital_status */
};

/* A random age in the band (the last band runs to POPULATION_AGE_MAX). */
static int age_in_band(struct population *g, int band)
{
    int lo = band * 5;
    int hi = band == AGE_BANDS - 1 ? POPULATION_AGE_MAX : lo + 4;
    return rng_range(g, lo, hi);
}

static int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static int lone_adult_marital(struct population *g, int age, int female)
{
    if (age >= 55 && rng_chance(g, female ? 750 : 550))
        return MARITAL_WIDOWED;
    uint32_t r = rng_below(g, 100);
    if (r < (female ? 35u : 15u))
        return MARITAL_WIDOWED;
    if (r < (female ? 55u : 30u))
        return MARITAL_SEPARATED;
    if (r < (female ? 70u : 45u))
        return MARITAL_DIVORCED;
    return MARITAL_SINGLE;
}

static int child_marital(struct population *g, int age)
{
    if (age < 18)
        return MARITAL_SINGLE;
    if (age < 22)
        return rng_chance(g, 100) ? MARITAL_MARRIED : MARITAL_SINGLE;
    uint32_t r = rng_below(g, 100);
    return r < 45   ? MARITAL_MARRIED
           : r < 48 ? MARITAL_SEPARATED
           : r < 50 ? MARITAL_WIDOWED
                    : MARITAL_SINGLE;
}

/* 1 if a parent of this age is still alive (a rough survival curve from age 70). */
static int alive(struct population *g, int age)
{
    static const uint16_t survival[] = {800, 550, 300, 150, 60, 20}; /* 70-74 ... 95+ */
    if (age < 70)
        return 1;
    int band = (age - 70) / 5;
    return rng_chance(g, survival[band < 5 ? band : 5]);
}

/* Plans who lives in the household; returns how many (1..size). */
static int plan_household(struct population *g, const struct country *c, int size, struct member *m)
{
    uint16_t weights[AGE_BANDS];
    for (int b = 0; b < AGE_BANDS; b++)
        weights[b] = (uint16_t)(c->pyramid[b] * headship[b] / PERMILLE);
    int n = 0;
    struct member head = {age_in_band(g, rng_weighted(g, weights, AGE_BANDS)), 0, RELATIONSHIP_HEAD,
                          MARITAL_MARRIED};
    head.age = clamp(head.age, 18, POPULATION_AGE_MAX);
    head.female = rng_chance(g, head.age >= 60 ? 350 : 150);
    int spouse = size >= 2 && rng_chance(g, head.female ? 150 : head.age >= 70 ? 700 : 920);
    if (!spouse)
        head.marital = lone_adult_marital(g, head.age, head.female);
    m[n++] = head;
    int mother_age = head.female ? head.age : head.age - 3;
    if (spouse) {
        int age = head.female ? head.age + rng_range(g, 0, 7) : head.age - rng_range(g, 0, 7);
        age = clamp(age, 18, POPULATION_AGE_MAX);
        m[n++] = (struct member){age, !head.female, RELATIONSHIP_SPOUSE, MARITAL_MARRIED};
        if (!head.female)
            mother_age = age;
    }
    /* The head's parents, now and then, if they are still alive. */
    if (n < size && head.age >= 25 && head.age <= 70 && rng_chance(g, size - n >= 3 ? 400 : 300)) {
        int mother = head.age + rng_range(g, 18, 36);
        int father = mother + rng_range(g, 0, 6);
        int with_mother = mother <= POPULATION_AGE_MAX && alive(g, mother);
        int with_father = father <= POPULATION_AGE_MAX && alive(g, father) &&
                          (!with_mother || n + 2 <= size) && rng_chance(g, 500);
        if (with_mother && with_father) {
            m[n++] = (struct member){mother, 1, RELATIONSHIP_PARENT, MARITAL_MARRIED};
            m[n++] = (struct member){father, 0, RELATIONSHIP_PARENT, MARITAL_MARRIED};
        } else if (with_mother) {
            int marital = rng_chance(g, 850) ? MARITAL_WIDOWED : MARITAL_MARRIED;
            m[n++] = (struct member){mother, 1, RELATIONSHIP_PARENT, marital};
        } else if (with_father) {
            int marital = rng_chance(g, 700) ? MARITAL_WIDOWED : MARITAL_MARRIED;
            m[n++] = (struct member){father, 0, RELATIONSHIP_PARENT, marital};
        }
    }
    /* Children: the eldest born when their mother was 18 to 32, then every 1 to 4 years
     * until she is 45. */
    mother_age = clamp(mother_age, 18, POPULATION_AGE_MAX);
    int age = mother_age - rng_range(g, 18, mother_age < 32 ? mother_age : 32);
    while (n < size && age >= 0 && mother_age - age <= 45) {
        m[n++] =
            (struct member){age, (int)rng_below(g, 2), RELATIONSHIP_CHILD, child_marital(g, age)};
        age -= rng_range(g, 1, 4);
    }
    /* Other relatives: grandchildren of an older head, else siblings and cousins. */
    while (n < size) {
        int other =
            head.age >= 45 ? rng_range(g, 0, 12) : clamp(head.age + rng_range(g, -12, 12), 0, 100);
        m[n++] = (struct member){other, (int)rng_below(g, 2), RELATIONSHIP_OTHER,
                                 child_marital(g, other)};
    }
    return n;
}

/*
 * Gives p a given name (with a middle initial once the stratum has used every plain one) and
 * a birth date, unique among all persons of the stream with the same family name, district,
 * birth year and sex. district is the index among all countries' districts.
 */
static void name_and_birth(struct population *g, const struct country *c, int district, int family,
                           const struct member *m, struct person *p)
{
    size_t stratum = (size_t)district * (POPULATION_AGE_MAX + 1) + (size_t)m->age;
    stratum = (stratum * (size_t)family_stride() + (size_t)family) * 2 + (size_t)m->female;
    uint32_t count = g->stratum_count[stratum]++;
    uint32_t names = (uint32_t)(m->female ? c->n_female : c->n_male);
    uint32_t plain = names * DAYS_PER_SLOT;
    uint32_t tier = count / plain;
    assert(tier <= INITIALS + INITIALS * INITIALS);
    uint64_t key = mix64(g->seed ^ ((uint64_t)stratum << 20)) + tier;
    uint32_t slot = permute(count % plain, plain, key);
    const char *given = (m->female ? c->female : c->male)[slot / DAYS_PER_SLOT];
    size_t n = strlen(given);
    memcpy(p->given_name, given, n);
    if (tier > 0) {
        p->given_name[n++] = ' ';
        if (tier > INITIALS) {
            uint32_t k = tier - INITIALS - 1;
            p->given_name[n++] = (char)('A' + k / INITIALS);
            p->given_name[n++] = (char)('A' + k % INITIALS);
        } else {
            p->given_name[n++] = (char)('A' + tier - 1);
        }
    }
    p->given_name[n] = '\0';
    int year = g->reference_year - 1 - m->age;
    p->birth_date = date_from_civil(year, 1, 1) + (int32_t)(slot % DAYS_PER_SLOT);
}

/* An amount in major units as money in the country's currency. */
static struct money money_major(const struct country *c, int64_t major)
{
    const struct currency_info *info = currency_find(c->currency);
    int64_t scale = 1;
    for (int i = 0; info != NULL && i < info->minor_digits; i++)
        scale *= 10;
    struct money m = {major * scale, ""};
    memcpy(m.currency, c->currency, CURRENCY_CODE_SIZE);
    return m;
}

/* A wage between lo and hi, skewed towards lo, in multiples of the country's step. */
static struct money wage(struct population *g, const struct country *c, int64_t lo, int64_t hi)
{
    int64_t a = rng_below(g, 1001);
    int64_t w = lo + (hi - lo) * a * a / 1000000;
    w = (w + c->wage_step / 2) / c->wage_step * c->wage_step;
    return money_major(c, w);
}

/* Labour-force participation by age and sex, per mille. */
static int participation(const struct country *c, int age, int female)
{
    if (age < 15 || age > 75)
        return 0;
    if (age < 18)
        return female ? 80 : 120;
    if (age < 60)
        return female ? c->women_working : 850;
    if (age < 70)
        return female ? c->women_working / 2 : 450;
    return female ? c->women_working / 5 : 200;
}

static int worker_category(struct population *g, const struct country *c, const struct district *d,
                           int age, int female)
{
    int k = rng_weighted(g, c->category, COUNT(c->category));
    if (d->urban && (k == WORKER_AGRICULTURAL || k == WORKER_HERDER))
        k = WORKER_INFORMAL;
    if (age < 18 && (k == WORKER_SEX_WORKER || k == WORKER_FORMAL_EMPLOYEE))
        k = WORKER_INFORMAL;
    if (k == WORKER_DOMESTIC && !female && rng_chance(g, 500))
        k = WORKER_INFORMAL;
    return k;
}

/* The social insurance memberships of a worker. */
static void memberships(struct population *g, const struct country *c, const struct district *d,
                        struct person *p)
{
    int formal = p->worker_category == WORKER_FORMAL_EMPLOYEE;
    const char *cc = c->code;
    if (strcmp(cc, "IN") == 0) {
        if (formal && rng_chance(g, 750))
            list_add(p->memberships, "epfo");
        /* ESIC covers wages up to INR 21,000 a month. */
        if (formal && p->monthly_wage.minor <= 2100000 && rng_chance(g, 600))
            list_add(p->memberships, "esic");
    } else if (strcmp(cc, "PK") == 0) {
        if (formal && strcmp(d->admin1, "Punjab") == 0 && rng_chance(g, 550))
            list_add(p->memberships, "pessi");
        if (formal && rng_chance(g, 500))
            list_add(p->memberships, "eobi");
    } else if (strcmp(cc, "NP") == 0) {
        if (rng_chance(g, formal ? 450 : 20))
            list_add(p->memberships, "ssf");
    } else if (strcmp(cc, "PH") == 0) {
        if (rng_chance(g, formal ? 950 : 250))
            list_add(p->memberships, "sss");
    } else if (strcmp(cc, "KH") == 0) {
        if (formal && rng_chance(g, 850))
            list_add(p->memberships, "nssf");
    } else if (strcmp(cc, "ID") == 0) {
        if (rng_chance(g, formal ? 800 : 100))
            list_add(p->memberships, "bpjs_tk");
    } else if (strcmp(cc, "MN") == 0) {
        if (rng_chance(g, formal ? 900 : p->worker_category == WORKER_HERDER ? 400 : 100))
            list_add(p->memberships, "social_insurance");
    }
}

/* Work: category, employer, start, wage and memberships, for those who work. */
static void work(struct population *g, const struct country *c, const struct district *d,
                 const struct member *m, struct person *p)
{
    if (!rng_chance(g, participation(c, m->age, m->female)))
        return;
    p->worker_category = (uint8_t)worker_category(g, c, d, m->age, m->female);
    if (p->worker_category == WORKER_FORMAL_EMPLOYEE) {
        text_copy(p->employer, sizeof p->employer,
                  c->employers[rng_below(g, (uint32_t)c->n_employers)]);
        int years = clamp(m->age - 18, 0, 30);
        int32_t start =
            g->reference_date - 1 - (int32_t)rng_below(g, (uint32_t)(years * 365 + 300));
        int32_t adult = date_add_months(p->birth_date, 18 * 12);
        p->employment_start = start > adult ? start : adult;
        p->monthly_wage = wage(g, c, c->wage_low, c->wage_high);
    } else {
        int farm = p->worker_category == WORKER_AGRICULTURAL || p->worker_category == WORKER_HERDER;
        if (rng_chance(g, farm ? 350 : 550))
            p->monthly_wage = wage(g, c, c->wage_low * 6 / 10, (c->wage_low + c->wage_high) / 2);
    }
    memberships(g, c, d, p);
}

static int disability(struct population *g, const struct country *c, int age)
{
    if (!rng_chance(g, age >= 70 ? c->disability * 3 : c->disability))
        return DISABILITY_NONE;
    uint32_t r = rng_below(g, 100);
    return r < 20 ? DISABILITY_A : r < 55 ? DISABILITY_B : DISABILITY_C;
}

int population_next_household(struct population *g, struct person *out, int max,
                              struct household *hh)
{
    assert(max >= POPULATION_HOUSEHOLD_MAX);
    (void)max;
    int ci = g->country;
    if (ci < 0) {
        uint16_t mix[N_COUNTRIES];
        for (int i = 0; i < N_COUNTRIES; i++)
            mix[i] = countries[i].mix;
        ci = rng_weighted(g, mix, N_COUNTRIES);
    }
    const struct country *c = &countries[ci];
    int di = district_weighted(g, c);
    const struct district *d = &c->districts[di];
    int64_t serial = ++g->households;

    /* Caste or group, and with it the family name. */
    int dalit = rng_chance(g, c->dalit);
    int endangered = !dalit && rng_chance(g, c->endangered);
    int regular = c->n_family - c->n_dalit_family - c->n_endangered_family;
    int family = dalit        ? regular + (int)rng_below(g, (uint32_t)c->n_dalit_family)
                 : endangered ? regular + c->n_dalit_family +
                                    (int)rng_below(g, (uint32_t)c->n_endangered_family)
                              : (int)rng_below(g, (uint32_t)regular);

    struct member m[POPULATION_HOUSEHOLD_MAX];
    int size = 1 + rng_weighted(g, c->household_size, POPULATION_HOUSEHOLD_MAX);
    int n = plan_household(g, c, size, m);
    int young_children = 0;
    for (int i = 0; i < n; i++)
        young_children += m[i].relationship == RELATIONSHIP_CHILD && m[i].age < 18;
    int lone_parent = young_children > 0 && m[0].marital != MARITAL_MARRIED;
    int solo = strcmp(c->code, "PH") == 0 && lone_parent && rng_chance(g, m[0].female ? 700 : 500);

    char id[PERSON_SHORT_SIZE];
    memcpy(id, c->code, 2);
    id[2] = '-';
    id[3] = 'H';
    put_digits(id + 4, (uint64_t)serial, 10);
    id[14] = '\0';
    if (hh != NULL) {
        memcpy(hh->id, id, 15);
        memcpy(hh->country, c->code, 3);
        text_copy(hh->admin1, sizeof hh->admin1, d->admin1);
        text_copy(hh->admin2, sizeof hh->admin2, d->admin2);
    }
    int global_district = district_offset(ci) + di;
    for (int i = 0; i < n; i++) {
        struct person *p = &out[i];
        person_clear(p);
        uint64_t person_serial = (uint64_t)g->persons++;
        /* Parents do not give two of their children one name: draw again (at most 8 times). */
        for (int tries = 0; tries < 8; tries++) {
            name_and_birth(g, c, global_district, family, &m[i], p);
            int k = 0;
            while (k < i && strcmp(out[k].given_name, p->given_name) != 0)
                k++;
            if (k == i)
                break;
        }
        text_copy(p->family_name, sizeof p->family_name, c->family[family]);
        p->sex = m[i].female ? SEX_FEMALE : SEX_MALE;
        if (rng_chance(g, m[i].age >= 16 ? 950 : strcmp(c->code, "IN") == 0 ? 700 : 150))
            national_id(g, c, di, person_serial, p->national_id);
        if (m[i].age >= 16 && rng_chance(g, 750))
            phone(g, c, p->phone);
        memcpy(p->country, c->code, 3);
        text_copy(p->admin1, sizeof p->admin1, d->admin1);
        text_copy(p->admin2, sizeof p->admin2, d->admin2);
        p->marital_status = (uint8_t)m[i].marital;
        p->disability_class = (uint8_t)disability(g, c, m[i].age);
        if (dalit)
            list_add(p->groups, "dalit");
        if (endangered)
            list_add(p->groups, "endangered_indigenous");
        if (solo && i == 0)
            list_add(p->groups, "solo_parent");
        work(g, c, d, &m[i], p);
        memcpy(p->household, id, 15);
        p->relationship = (uint8_t)m[i].relationship;
    }
    return n;
}

int population_fill(struct population *g, struct person *out, int max)
{
    int n = 0;
    while (max - n >= POPULATION_HOUSEHOLD_MAX)
        n += population_next_household(g, out + n, max - n, NULL);
    return n;
}
