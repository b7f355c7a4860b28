"""Demo cleaners (issue 10): about 200 cleaner profiles in eight cities, so that searching by city,
distance, rating, price and service type has something to find on `make run`.

Each cleaner joins on a day of the last months and fills in the profile, the weekly schedule and
the service packages the same day; most send their KYC, which the demo admin verifies at the next
sitting (a few wait for review, a few were rejected, some never sent it). Loading stays quick
(`make run` starts with it), so only what needs the services' work goes through them one by one:
each profile through profile_save (its checks and city key), the availability toggle, the rating
(profile_rating_add computes the average) and KYC sent and reviewed (kyc_submit, kyc_review: the
encryption, the payout account, the notices), each KYC step at its moment (cleanit.demo.story). The
accounts, schedules (checked by schedule_ranges_check) and packages are inserted in bulk, the
"from" price kept by the package services' own min_active_price_refresh, and each profile dated
with the moment its cleaner set it up.

Each KYC-verified cleaner's past work is planned here too (``Plan.counters``: bookings completed,
requests answered, cancellations, ratings), at most what their time on the platform allows; the
bookings app makes those bookings and reviews (bookings.demo_history), and the figures on the profile
come from them. Cleaners without verified KYC have none (a cleaner is paid through verified details).

Everything is drawn from one seeded random generator (the same cleaners on every machine), and the
whole set is made once: a second run finds the demo cleaner's profile and adds nothing."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.urls import reverse

from cleanit.demo import next_at, on_day, story
from notifications import services as notification_services
from notifications.models import Notification

from . import services
from .models import CleanerProfile, Role, ScheduleRange, ServicePackage, User
from .services.packages import min_active_price_refresh
from .validators import verhoeff_valid

SEED = 2026_10
EMAIL_DOMAIN = "cleaners.demo.cleanit.in"  # apart from the demo accounts of the README (@demo.cleanit.in)
WOMEN_SHARE = 0.65  # most people who clean homes for a living in India are women


@dataclass(frozen=True)
class Area:
    """A real neighbourhood: its centre and its PIN code."""

    name: str
    latitude: float
    longitude: float
    pincode: str


@dataclass(frozen=True)
class City:
    name: str
    state: str
    latitude: tuple[float, float]  # the city's bounds, south to north
    longitude: tuple[float, float]  # west to east
    cleaners: int
    rate: int  # a typical hourly rate there, paise
    language: str
    communities: tuple[tuple[str, int], ...]  # who lives and works there: community, weight
    areas: tuple[Area, ...]


CITIES = (
    City("Bengaluru", "Karnataka", (12.80, 13.15), (77.45, 77.80), 33, 270_00, "Kannada",
         (("kannada", 35), ("tamil", 18), ("telugu", 15), ("hindi", 10), ("muslim", 8), ("bengali", 6),
          ("malayali", 5), ("odia", 3)),
         (Area("Koramangala", 12.9352, 77.6245, "560034"), Area("Indiranagar", 12.9719, 77.6412, "560038"),
          Area("Whitefield", 12.9698, 77.7500, "560066"), Area("Jayanagar", 12.9293, 77.5826, "560011"),
          Area("HSR Layout", 12.9116, 77.6474, "560102"), Area("Malleshwaram", 13.0031, 77.5643, "560003"),
          Area("Electronic City", 12.8452, 77.6602, "560100"), Area("Marathahalli", 12.9569, 77.7011, "560037"),
          Area("Hebbal", 13.0358, 77.5970, "560024"), Area("BTM Layout", 12.9166, 77.6101, "560076"))),
    City("Mumbai", "Maharashtra", (18.88, 19.30), (72.77, 73.00), 31, 280_00, "Marathi",
         (("marathi", 35), ("hindi", 22), ("muslim", 15), ("gujarati", 8), ("christian", 7), ("bengali", 5),
          ("kannada", 4), ("tamil", 4)),
         (Area("Andheri West", 19.1364, 72.8296, "400053"), Area("Bandra West", 19.0596, 72.8295, "400050"),
          Area("Powai", 19.1176, 72.9060, "400076"), Area("Dadar West", 19.0178, 72.8478, "400028"),
          Area("Colaba", 18.9067, 72.8147, "400005"), Area("Goregaon East", 19.1663, 72.8526, "400063"),
          Area("Borivali West", 19.2307, 72.8567, "400092"), Area("Chembur", 19.0522, 72.9005, "400071"),
          Area("Malad West", 19.1874, 72.8484, "400064"), Area("Juhu", 19.1075, 72.8263, "400049"))),
    City("Delhi", "Delhi", (28.40, 28.89), (76.84, 77.35), 30, 260_00, "Hindi",
         (("hindi", 50), ("punjabi", 15), ("muslim", 12), ("bengali", 8), ("nepali", 6), ("odia", 5),
          ("malayali", 4)),
         (Area("Connaught Place", 28.6315, 77.2167, "110001"), Area("Lajpat Nagar", 28.5677, 77.2433, "110024"),
          Area("Dwarka", 28.5921, 77.0460, "110075"), Area("Rohini", 28.7158, 77.1100, "110085"),
          Area("Saket", 28.5245, 77.2066, "110017"), Area("Karol Bagh", 28.6519, 77.1909, "110005"),
          Area("Mayur Vihar", 28.6045, 77.2946, "110091"), Area("Janakpuri", 28.6219, 77.0878, "110058"),
          Area("Vasant Kunj", 28.5200, 77.1590, "110070"), Area("Hauz Khas", 28.5494, 77.2001, "110016"))),
    City("Hyderabad", "Telangana", (17.28, 17.56), (78.28, 78.60), 24, 230_00, "Telugu",
         (("telugu", 60), ("muslim", 25), ("hindi", 8), ("kannada", 4), ("odia", 3)),
         (Area("Banjara Hills", 17.4156, 78.4347, "500034"), Area("Jubilee Hills", 17.4326, 78.4071, "500033"),
          Area("Gachibowli", 17.4401, 78.3489, "500032"), Area("Madhapur", 17.4483, 78.3915, "500081"),
          Area("Kukatpally", 17.4948, 78.3996, "500072"), Area("Secunderabad", 17.4399, 78.4983, "500003"),
          Area("Ameerpet", 17.4375, 78.4483, "500016"), Area("Dilsukhnagar", 17.3688, 78.5247, "500060"),
          Area("Kondapur", 17.4698, 78.3576, "500084"))),
    City("Chennai", "Tamil Nadu", (12.85, 13.20), (80.05, 80.32), 22, 220_00, "Tamil",
         (("tamil", 70), ("telugu", 10), ("malayali", 8), ("muslim", 6), ("christian", 4), ("bengali", 2)),
         (Area("T. Nagar", 13.0418, 80.2341, "600017"), Area("Adyar", 13.0012, 80.2565, "600020"),
          Area("Anna Nagar", 13.0850, 80.2101, "600040"), Area("Velachery", 12.9815, 80.2180, "600042"),
          Area("Mylapore", 13.0368, 80.2676, "600004"), Area("Tambaram", 12.9249, 80.1000, "600045"),
          Area("Porur", 13.0382, 80.1565, "600116"), Area("Besant Nagar", 12.9990, 80.2660, "600090"))),
    City("Pune", "Maharashtra", (18.43, 18.65), (73.70, 73.98), 22, 240_00, "Marathi",
         (("marathi", 60), ("hindi", 15), ("muslim", 10), ("kannada", 5), ("gujarati", 4), ("christian", 3),
          ("bengali", 3)),
         (Area("Koregaon Park", 18.5362, 73.8939, "411001"), Area("Kothrud", 18.5074, 73.8077, "411038"),
          Area("Hinjewadi", 18.5913, 73.7389, "411057"), Area("Viman Nagar", 18.5679, 73.9143, "411014"),
          Area("Baner", 18.5590, 73.7868, "411045"), Area("Hadapsar", 18.5089, 73.9260, "411028"),
          Area("Aundh", 18.5580, 73.8075, "411007"), Area("Shivajinagar", 18.5308, 73.8475, "411005"))),
    City("Kolkata", "West Bengal", (22.45, 22.68), (88.28, 88.52), 18, 190_00, "Bengali",
         (("bengali", 62), ("hindi", 15), ("muslim", 12), ("odia", 6), ("nepali", 5)),
         (Area("Salt Lake", 22.5867, 88.4171, "700091"), Area("Park Street", 22.5530, 88.3520, "700016"),
          Area("Ballygunge", 22.5270, 88.3650, "700019"), Area("Gariahat", 22.5186, 88.3670, "700029"),
          Area("New Town", 22.5806, 88.4603, "700156"), Area("Behala", 22.4980, 88.3100, "700034"),
          Area("Tollygunge", 22.4986, 88.3468, "700033"), Area("Dum Dum", 22.6218, 88.4202, "700028"),
          Area("Shyambazar", 22.6005, 88.3728, "700004"))),
    City("Ahmedabad", "Gujarat", (22.95, 23.15), (72.47, 72.68), 18, 200_00, "Gujarati",
         (("gujarati", 65), ("hindi", 15), ("muslim", 12), ("marathi", 5), ("odia", 3)),
         (Area("Navrangpura", 23.0365, 72.5611, "380009"), Area("Satellite", 23.0300, 72.5176, "380015"),
          Area("Maninagar", 22.9962, 72.5996, "380008"), Area("Bodakdev", 23.0395, 72.5066, "380054"),
          Area("Vastrapur", 23.0398, 72.5290, "380015"), Area("Chandkheda", 23.1086, 72.5864, "382424"),
          Area("Paldi", 23.0120, 72.5630, "380007"), Area("Thaltej", 23.0506, 72.4950, "380059"))),
)
CITY_BY_NAME = {city.name: city for city in CITIES}
CLEANERS = sum(city.cleaners for city in CITIES)  # generated, besides the demo accounts'
JITTER_METRES = 600  # a cleaner lives within this distance of a neighbourhood's centre
METRES_PER_DEGREE = 111_195


@dataclass(frozen=True)
class Community:
    women: tuple[str, ...]
    men: tuple[str, ...]
    surnames: tuple[str, ...]
    language: str


COMMUNITIES = {
    "hindi": Community(
        ("Sunita", "Pooja", "Rekha", "Kavita", "Anita", "Seema", "Geeta", "Poonam", "Priyanka", "Rani", "Savita",
         "Kiran", "Suman", "Neelam", "Mamta", "Usha"),
        ("Rajesh", "Suresh", "Amit", "Vikas", "Sandeep", "Manoj", "Deepak", "Rakesh", "Anil", "Pankaj", "Sanjay",
         "Dinesh", "Ajay"),
        ("Sharma", "Verma", "Gupta", "Yadav", "Singh", "Kumar", "Chauhan", "Rawat", "Pandey", "Mishra", "Tiwari",
         "Saini", "Prajapati", "Kushwaha", "Maurya"), "Hindi"),
    "punjabi": Community(
        ("Harpreet", "Manpreet", "Simran", "Jasleen", "Gurleen", "Rajwinder", "Kulwinder"),
        ("Gurpreet", "Harjit", "Balwinder", "Jaspal", "Sukhwinder", "Paramjit", "Kulwant"),
        ("Gill", "Sandhu", "Dhillon", "Grewal", "Sidhu", "Bajwa", "Arora"), "Punjabi"),
    "marathi": Community(
        ("Sunanda", "Manisha", "Sangita", "Varsha", "Ashwini", "Jyoti", "Dipali", "Shraddha", "Sarika", "Vaishali",
         "Mangal", "Shubhangi"),
        ("Sachin", "Ganesh", "Santosh", "Mahesh", "Prakash", "Tushar", "Nilesh", "Sunil", "Dattatray", "Vitthal"),
        ("Patil", "Jadhav", "Pawar", "Shinde", "Gaikwad", "Kulkarni", "Deshmukh", "More", "Kamble", "Salunkhe",
         "Bhosale", "Chavan", "Kadam", "Mane"), "Marathi"),
    "gujarati": Community(
        ("Hetal", "Komal", "Falguni", "Bhavna", "Nisha", "Kinjal", "Jignasha", "Rinku", "Daxa", "Hansa"),
        ("Jignesh", "Hitesh", "Bhavesh", "Ketan", "Mukesh", "Paresh", "Chirag", "Dilip", "Jayesh"),
        ("Patel", "Shah", "Desai", "Parmar", "Solanki", "Rathod", "Makwana", "Vaghela", "Prajapati", "Bharwad",
         "Thakor"), "Gujarati"),
    "kannada": Community(
        ("Lakshmi", "Kavya", "Shobha", "Savitha", "Roopa", "Mamatha", "Pushpa", "Geetha", "Nagaveni", "Shilpa",
         "Manjula", "Sowmya"),
        ("Manjunath", "Raghavendra", "Naveen", "Prasad", "Shivakumar", "Basavaraj", "Chandrashekar", "Nagaraj",
         "Girish", "Puneeth"),
        ("Gowda", "Shetty", "Hegde", "Naik", "Rao", "Murthy", "Swamy", "Achar", "Poojary", "Kamath"), "Kannada"),
    "tamil": Community(
        ("Selvi", "Meenakshi", "Shanthi", "Revathi", "Kalaivani", "Vasuki", "Malathi", "Thenmozhi", "Anitha",
         "Bhuvana", "Jayanthi", "Saranya"),
        ("Murugan", "Senthil", "Karthik", "Saravanan", "Ganesan", "Velmurugan", "Prabhu", "Rajkumar", "Sivakumar",
         "Muthu"),
        ("Subramanian", "Krishnan", "Natarajan", "Raman", "Pillai", "Selvam", "Perumal", "Rajendran", "Kannan",
         "Arumugam", "Mani", "Velu"), "Tamil"),
    "telugu": Community(
        ("Padma", "Lavanya", "Bhavani", "Swathi", "Sravani", "Madhavi", "Aruna", "Sujatha", "Vijaya", "Durga",
         "Ramadevi", "Sirisha"),
        ("Srinivas", "Venkatesh", "Naresh", "Satish", "Ramana", "Anjaneyulu", "Narasimha", "Kiran", "Chandra"),
        ("Reddy", "Naidu", "Rao", "Chowdary", "Goud", "Yadav", "Varma", "Setty", "Raju", "Mudiraj"), "Telugu"),
    "malayali": Community(
        ("Bindu", "Sreeja", "Ambika", "Sindhu", "Rajitha", "Lissy", "Jincy", "Deepthi"),
        ("Sajeev", "Binu", "Anoop", "Shaji", "Vinod", "Sunil"),
        ("Nair", "Menon", "Pillai", "Kurian", "Varghese", "Thomas", "Joseph"), "Malayalam"),
    "bengali": Community(
        ("Mousumi", "Rupa", "Sumita", "Mitali", "Sharmistha", "Tanushree", "Puja", "Rina", "Shampa", "Soma", "Dipa",
         "Lipika"),
        ("Subhash", "Sourav", "Debashis", "Arindam", "Biswajit", "Tapan", "Ranjit", "Amal", "Prasenjit", "Gopal"),
        ("Das", "Dey", "Ghosh", "Bose", "Banerjee", "Mondal", "Sarkar", "Roy", "Chatterjee", "Mukherjee", "Saha",
         "Halder", "Paul", "Naskar"), "Bengali"),
    "odia": Community(
        ("Sasmita", "Sabita", "Pramila", "Minati", "Jharana", "Rashmita"),
        ("Prasanta", "Sushanta", "Bijay", "Manas", "Debendra"),
        ("Pradhan", "Behera", "Sahoo", "Nayak", "Mohanty", "Swain", "Jena", "Rout"), "Odia"),
    "muslim": Community(
        ("Nasreen", "Farzana", "Ruksana", "Shabana", "Yasmin", "Salma", "Shaheen", "Tabassum", "Nazia", "Reshma",
         "Parveen", "Afreen"),
        ("Imran", "Salim", "Aslam", "Javed", "Farhan", "Rizwan", "Shahid", "Irfan", "Wasim", "Sameer"),
        ("Khan", "Shaikh", "Ansari", "Qureshi", "Siddiqui", "Pathan", "Sayyed", "Mansuri", "Malik", "Mirza"),
        "Urdu"),
    "christian": Community(
        ("Mary", "Stella", "Rosy", "Agnes", "Jacintha", "Lydia", "Flavia", "Sheela"),
        ("Joseph", "Anthony", "Francis", "Peter", "Sebastian", "Lawrence"),
        ("D'Souza", "Fernandes", "Pereira", "Rodrigues", "D'Costa", "Pinto", "Lobo", "Gomes"), "Konkani"),
    "nepali": Community(
        ("Sarita", "Maya", "Pabitra", "Kamala", "Sangita", "Laxmi"),
        ("Bikash", "Suman", "Prakash", "Dil Bahadur", "Ramesh"),
        ("Gurung", "Tamang", "Rai", "Thapa", "Limbu", "Chhetri"), "Nepali"),
}


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


_BUILDINGS = {
    "Mumbai": ("Sai Darshan CHS", "Shree Ganesh Apartments", "Navjivan Co-op Housing Society", "Shanti Niwas",
               "Om Sai Residency", "Laxmi Niwas", "Krishna Kunj", "Sagar Darshan", "Vrindavan Society"),
    "Pune": ("Shivtirth Apartments", "Sahyadri Heights", "Mangalmurti Society", "Gulmohar Park",
             "Swami Samarth Residency", "Anand Vihar", "Dhanlaxmi Apartments", "Ganga Kunj"),
    "Ahmedabad": ("Shantivan Society", "Sahjanand Society", "Ambika Nagar Society", "Shivam Flats",
                  "Sundarvan Apartments", "Parishram Park", "Aavkar Residency", "Shyam Bungalows"),
}
_STREETS = {
    "Chennai": ("Gandhi Street", "Nehru Street", "Bharathi Street", "Pillaiyar Koil Street", "2nd Main Road",
                "4th Cross Street", "Kamarajar Street", "Thiruvalluvar Street"),
    "Kolkata": ("Kali Temple Road", "Netaji Subhas Road", "Rabindra Sarani", "School Lane", "Bose Para Lane",
                "Station Road", "Lake View Road", "Sarat Chatterjee Road"),
}


def _street(rng: random.Random, city: str, area: str) -> str:
    """An address line the way it is written in that city."""
    if city == "Bengaluru":
        return f"No. {rng.randint(3, 480)}, {_ordinal(rng.randint(1, 18))} Cross, {_ordinal(rng.randint(1, 12))} " \
               f"Main, {area}"
    if city == "Mumbai":
        return f"Flat {rng.randint(1, 12)}0{rng.randint(1, 6)}, {rng.choice(_BUILDINGS[city])}, {area}"
    if city == "Pune":
        return f"Flat {rng.randint(1, 9)}0{rng.randint(1, 4)}, {rng.choice(_BUILDINGS[city])}, Lane " \
               f"{rng.randint(1, 12)}, {area}"
    if city == "Delhi":
        block = rng.choice("ABCDEFGHJK")
        return f"{block}-{rng.randint(1, 399)}, Block {block}, {area}"
    if city == "Hyderabad":
        return f"H.No. {rng.randint(1, 12)}-{rng.randint(1, 9)}-{rng.randint(10, 999)}, Road No. " \
               f"{rng.randint(1, 14)}, {area}"
    if city == "Chennai":
        return f"No. {rng.randint(2, 140)}, {rng.choice(_STREETS[city])}, {area}"
    if city == "Kolkata":
        return f"{rng.randint(3, 220)}/{rng.randint(1, 9)}, {rng.choice(_STREETS[city])}, {area}"
    return f"{rng.randint(1, 120)}, {rng.choice(_BUILDINGS[city])}, {area}"


# --- services and schedules -----------------------------------------------------------------------

@dataclass(frozen=True)
class Offer:
    """A package a cleaner may offer; its price is the cleaner's hourly rate for the hours it takes,
    times ``markup`` (materials, a machine), rounded to ₹50."""

    name: str
    service_type: str
    minutes: int
    markup: float
    description: str


BASIC, DEEP, SPECIAL = (ServicePackage.ServiceType.BASIC_CLEAN, ServicePackage.ServiceType.DEEP_CLEAN,
                        ServicePackage.ServiceType.SPECIALIZED)
OFFERS = {
    BASIC: (
        Offer("1 BHK basic clean", BASIC, 120, 0.95,
              "Sweeping and mopping of every room, dusting of furniture, shelves and window sills, the kitchen "
              "counter and sink wiped, the bathroom washed and the rubbish taken out."),
        Offer("2 BHK basic clean", BASIC, 180, 0.95,
              "Everything in a basic clean for two bedrooms, the hall and the kitchen: sweeping, mopping, dusting, "
              "kitchen counter and sink, both bathrooms washed, rubbish out."),
        Offer("3 BHK basic clean", BASIC, 240, 0.95,
              "A basic clean of three bedrooms, the hall, the kitchen and up to three bathrooms, with fans and "
              "switchboards dusted."),
        Offer("Daily sweep and mop (up to 2 BHK)", BASIC, 60, 1.0,
              "The everyday jhadu-pocha: sweeping and wet mopping of every room, with a floor cleaner you choose."),
        Offer("Utensils and kitchen tidy-up", BASIC, 90, 1.0,
              "A sink of utensils washed and put away, the counter, the stove top and the kitchen floor cleaned."),
    ),
    DEEP: (
        Offer("Kitchen deep clean", DEEP, 180, 1.25,
              "Wall tiles and the stove degreased, the chimney filters soaked and scrubbed, cabinets cleaned inside "
              "and out, the sink descaled and the floor scrubbed."),
        Offer("Bathroom deep clean (2 bathrooms)", DEEP, 150, 1.2,
              "Hard-water stains and tile grout scrubbed, taps and shower heads descaled, the toilet and wash basin "
              "disinfected, mirrors and the exhaust fan cleaned."),
        Offer("2 BHK full home deep clean", DEEP, 360, 1.2,
              "Every room top to bottom: fans, lights and cupboard tops, windows and grills, kitchen and bathrooms "
              "degreased and descaled, floors scrubbed. Bring the keys to every room."),
        Offer("3 BHK full home deep clean", DEEP, 480, 1.2,
              "A full deep clean of three bedrooms, the hall, the kitchen and the bathrooms, balconies included. "
              "Two of us come for larger homes."),
        Offer("Move-in / move-out clean (2 BHK)", DEEP, 420, 1.2,
              "An empty flat made ready: dust, paint spots and cement marks removed, cupboards wiped inside, "
              "kitchen and bathrooms deep cleaned, floors scrubbed."),
        Offer("Festive deep clean (1 BHK)", DEEP, 300, 1.2,
              "The clean before Diwali, Pongal or Eid: walls dusted, fans and lights, cupboard tops, windows, the "
              "kitchen degreased and the pooja corner cleaned with care."),
    ),
    SPECIAL: (
        Offer("Sofa shampoo (up to 5 seats)", SPECIAL, 120, 1.5,
              "Fabric sofas vacuumed, shampooed with a machine and dried with a wet-vac, stains treated. Leather "
              "sofas are cleaned and conditioned instead."),
        Offer("Carpet shampoo (up to 100 sq ft)", SPECIAL, 90, 1.5,
              "Vacuuming, shampooing and extraction of one carpet or rug; it is dry enough to walk on in a few "
              "hours."),
        Offer("Mattress cleaning (2 mattresses)", SPECIAL, 90, 1.5,
              "Both sides vacuumed to remove dust mites, stains treated and the mattress sanitised; good for "
              "families with allergies."),
        Offer("Windows and balcony glass", SPECIAL, 120, 1.2,
              "Every window pane, grill and sliding door inside and out (where it can be reached safely), the "
              "balcony swept and washed."),
        Offer("Fridge and microwave cleaning", SPECIAL, 60, 1.2,
              "The fridge emptied, shelves and trays washed, the seals cleaned, odours removed; the microwave "
              "degreased inside and out."),
        Offer("Kitchen chimney degreasing", SPECIAL, 90, 1.4,
              "The chimney's filters and hood taken apart, soaked in degreaser and scrubbed, the motor housing "
              "wiped and everything refitted."),
        Offer("Water tank cleaning (up to 1,000 litres)", SPECIAL, 120, 1.4,
              "The overhead or sump tank drained, silt removed, walls scrubbed and disinfected, then rinsed and "
              "refilled."),
    ),
}
# What a cleaner offers: how many packages of each type, by kind of cleaner.
STYLES = (
    ("all-rounder", {BASIC: 2, DEEP: 1, SPECIAL: 1}),
    ("all-rounder", {BASIC: 1, DEEP: 1}),
    ("regular homes", {BASIC: 2}),
    ("regular homes", {BASIC: 1}),
    ("deep cleaning", {BASIC: 1, DEEP: 2}),
    ("deep cleaning", {DEEP: 3}),
    ("machine cleaning", {SPECIAL: 3}),
    ("machine cleaning", {DEEP: 1, SPECIAL: 2}),
)
STYLE_WEIGHTS = (16, 18, 14, 8, 14, 6, 10, 14)

# A week: (weekdays 0 = Monday..., "HH:MM-HH:MM" ranges); each cleaner's may start up to an hour
# earlier or later, and some add a Sunday morning.
WEEKS = (
    (((0, 1, 2, 3, 4, 5), ("09:00-13:00", "15:00-19:00")),),
    (((0, 1, 2, 3, 4, 5), ("07:00-12:00",)),),
    (((0, 1, 2, 3, 4), ("09:00-18:00",)),),
    (((1, 2, 3, 4, 5, 6), ("08:00-14:00", "16:00-20:00")),),
    (((0, 2, 4), ("09:00-17:00",)), ((5,), ("09:00-13:00",))),
    (((0, 1, 2, 3, 4), ("17:00-21:00",)), ((5, 6), ("08:00-18:00",))),
    (((0, 1, 2, 3, 4, 5, 6), ("07:30-11:30",)),),
    (((0, 1, 2, 3, 4, 5), ("10:00-14:00", "16:30-20:30")), ((6,), ("10:00-14:00",))),
)
SUNDAY_MORNING = "09:00-13:00"


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _week(rng: random.Random) -> list[dict]:
    """A weekly schedule in schedule_set's form."""
    week = rng.choice(WEEKS)
    shift = rng.choice((-60, -30, 0, 0, 0, 30, 60))
    ranges = [(day, text) for days, texts in week for day in days for text in texts]
    if all(day != 6 for day, _ in ranges) and rng.random() < 0.3:
        ranges.append((6, SUNDAY_MORNING))
    week_ranges = []
    for day, text in ranges:
        start, end = (_minutes(part) for part in text.split("-"))
        week_ranges.append({"weekday": day, "start": _clock(start + shift), "end": _clock(end + shift)})
    return week_ranges


# --- bios ------------------------------------------------------------------------------------------

_OPENINGS = (
    "I have been cleaning homes in and around {area} for {years}.",
    "{years} of cleaning flats and independent houses around {area}.",
    "Home cleaner from {area} with {years} of experience, first with a housekeeping agency and now on my own.",
    "I started cleaning homes {years} ago and most of my customers in {area} have stayed with me for years.",
)
_SPECIALITIES = {
    "all-rounder": ("Regular cleaning, deep cleaning before festivals and the odd sofa: I do it all.",
                    "From the weekly clean to a full deep clean, I follow your checklist and keep to time."),
    "regular homes": ("Regular weekly cleaning for working families; I follow your checklist and keep to time.",
                      "Most of my customers book me every week: same day, same time, no reminders needed."),
    "deep cleaning": ("Kitchens and bathrooms are my speciality: tiles, chimneys and taps shine when I leave.",
                      "Deep cleaning is what I do best, from greasy kitchens to flats just after the painters."),
    "machine cleaning": ("I have my own shampoo machine and wet-vac for sofas, carpets and mattresses.",
                         "Sofas, carpets, mattresses and chimneys: I bring the machines and the right chemicals."),
}
_SUPPLIES = (
    "I bring my own mops, brushes and eco-friendly cleaning liquids.",
    "I bring the cleaning liquids; please keep a bucket and a mop ready.",
    "I use only the products you are comfortable with, phenyl-free for homes with pets or small children.",
    "All equipment and cleaning material included in the price.",
)
_CLOSINGS = (
    "Punctual, honest and careful with your things.",
    "Happy to work around pets and elderly family members.",
    "Please share any special instructions when you book.",
    "",
)


def _bio(rng: random.Random, *, area: str, years: int, style: str, languages: list[str]) -> str:
    years_text = f"{years} year" + ("s" if years != 1 else "")
    spoken = ", ".join(languages[:-1]) + f" and {languages[-1]}" if len(languages) > 1 else languages[0]
    parts = [rng.choice(_OPENINGS).format(area=area, years=years_text), rng.choice(_SPECIALITIES[style]),
             rng.choice(_SUPPLIES), f"I speak {spoken}.", rng.choice(_CLOSINGS)]
    bio = " ".join(part for part in parts if part)
    return bio[0].upper() + bio[1:]


# --- who the cleaners are --------------------------------------------------------------------------

VERIFIED, PENDING, REJECTED, NO_KYC = "verified", "pending", "rejected", "none"
KYC_SHARES = ((VERIFIED, 68), (PENDING, 12), (REJECTED, 3), (NO_KYC, 17))
JOINED_DAYS_AGO = {VERIFIED: (8, 140), PENDING: (2, 6), REJECTED: (4, 25), NO_KYC: (1, 45)}
UNAVAILABLE_SHARE = 0.12
REVIEW_SITTINGS = ("10:30", "12:00", "14:30", "16:00", "17:30")  # when the admin goes through the KYC queue
REJECTION_REASON = "The name on the PAN card does not match the account holder's name. Please send both again."
RATING_RANGE = (3.2, 5.0)  # the spread of seeded averages


@dataclass
class Plan:
    """One demo cleaner as the story tells it (pure data: nothing is written until load)."""

    name: str
    email: str
    phone: str
    joined: datetime
    set_up: datetime
    profile: dict
    week: list[dict]
    packages: list[dict]  # ServicePackage fields
    kyc: str = NO_KYC
    kyc_details: dict = field(default_factory=dict)
    kyc_sent: datetime | None = None
    kyc_reviewed: datetime | None = None
    available: bool = True
    counters: dict = field(default_factory=dict)  # the past work bookings.demo_history makes (module's note)
    last_rating: int | None = None


def _point(rng: random.Random, area: Area) -> tuple[float, float]:
    """A point up to JITTER_METRES from the area's centre, uniform over the disc."""
    distance, bearing = JITTER_METRES * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
    latitude = area.latitude + distance * math.cos(bearing) / METRES_PER_DEGREE
    longitude = area.longitude + distance * math.sin(bearing) / (METRES_PER_DEGREE * math.cos(math.radians(
        area.latitude)))
    return round(latitude, 6), round(longitude, 6)


def _ascii(text: str) -> str:
    return "".join(character for character in text.lower() if character.isalnum())


def _aadhaar(rng: random.Random) -> str:
    """Twelve digits, not starting 0 or 1, with the Verhoeff check digit that makes them valid."""
    stem = str(rng.randint(2, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(10))
    return next(stem + digit for digit in "0123456789" if verhoeff_valid(stem + digit))


def _pan(rng: random.Random, surname: str) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return ("".join(rng.choice(letters) for _ in range(3)) + "P" + _ascii(surname)[0].upper()
            + f"{rng.randint(1000, 9999)}" + rng.choice(letters))


def _kyc_details(rng: random.Random, first: str, surname: str) -> dict:
    if rng.random() < 0.65:
        details = {"id_type": "aadhaar", "id_number": _aadhaar(rng)}
    else:
        details = {"id_type": "pan", "id_number": _pan(rng, surname)}
    if rng.random() < 0.55:
        handle = rng.choice(("okaxis", "okhdfcbank", "oksbi", "okicici", "ybl", "paytm", "ibl"))
        details["upi_id"] = f"{_ascii(first)}{rng.randint(10, 9999)}@{handle}"
    else:
        bank = rng.choice(("SBIN", "HDFC", "ICIC", "CNRB", "UBIN", "PUNB", "BARB", "KKBK", "IDIB", "IOBA"))
        details["bank_account_number"] = str(rng.randint(10 ** 10, 10 ** 15))
        details["bank_ifsc"] = f"{bank}0{rng.randint(0, 999_999):06d}"
    return details


def _price(rate: int, offer: Offer) -> int:
    """Paise, rounded to ₹50 (never below ₹100, the least a package may cost)."""
    rupees = rate / 100 * offer.minutes / 60 * offer.markup
    return max(100, round(rupees / 50) * 50) * 100


def _package(rate: int, offer: Offer, *, active: bool = True) -> dict:
    return {"name": offer.name, "description": offer.description, "price": _price(rate, offer),
            "duration_minutes": offer.minutes, "service_type": offer.service_type, "is_active": active}


def _counters(rng: random.Random, *, active_days: float) -> tuple[dict, int | None]:
    """The past work planned for a cleaner verified ``active_days`` ago: completed bookings at up to
    one every five days, most of them rated, a few cancelled; the average between RATING_RANGE's bounds."""
    completed = int(active_days * rng.uniform(0.04, 0.2))
    rated = round(completed * rng.uniform(0.55, 0.85))
    cancelled = round(completed * rng.uniform(0, 0.06))
    by_customers = round(completed * rng.uniform(0, 0.05))
    accepted = completed + cancelled + by_customers
    answered = accepted + round(accepted * rng.uniform(0, 0.12))  # the rest of the requests were declined
    counters = {"completed_bookings": completed, "accepted_bookings": accepted, "cleaner_cancellations": cancelled,
                "response_count": answered,
                "response_seconds_total": round(answered * 60 * rng.triangular(4, 90, 15))}
    # Drawn whether or not it is used, so that who the next cleaners are never depends on the present.
    average = min(RATING_RANGE[1], max(RATING_RANGE[0], RATING_RANGE[1] - abs(rng.gauss(0, 0.6))))
    if not rated:
        return {**counters, "rating_total": 0, "rating_count": 0}, None
    total = min(5 * rated, max(math.ceil(RATING_RANGE[0] * rated), round(average * rated)))
    last = min(5, max(1, round(total / rated)))
    # All ratings but the last are seeded; profile_rating_add adds the last and computes the average.
    return {**counters, "rating_total": total - last, "rating_count": rated - 1}, last


def plan(now: datetime) -> list[Plan]:
    """The generated cleaners, the same on every run for the same ``now`` (one seeded generator)."""
    rng = random.Random(SEED)
    plans, phones = [], set()
    for city in CITIES:
        communities, weights = zip(*city.communities)
        for _ in range(city.cleaners):
            community = COMMUNITIES[rng.choices(communities, weights)[0]]
            first = rng.choice(community.women if rng.random() < WOMEN_SHARE else community.men)
            surname = rng.choice(community.surnames)
            number = len(plans) + 1
            email = f"{_ascii(first)}.{_ascii(surname)}{number}@{EMAIL_DOMAIN}"
            phone = f"+91{rng.choice('6789')}{rng.randint(0, 999_999_999):09d}"
            while phone in phones:
                phone = f"+91{rng.choice('6789')}{rng.randint(0, 999_999_999):09d}"
            phones.add(phone)
            area = rng.choice(city.areas)
            latitude, longitude = _point(rng, area)
            years = int(rng.triangular(1, 22, 5))
            style, mix = rng.choices(STYLES, STYLE_WEIGHTS)[0]
            rate = city.rate + years * 8_00 + round(rng.gauss(0, 55_00)) + (40_00 if style == "machine cleaning"
                                                                              else 0)
            rate = min(600_00, max(150_00, round(rate / 10_00) * 10_00))
            languages = list(dict.fromkeys([community.language, city.language, "Hindi"]))
            if community.language == "Urdu":
                languages = list(dict.fromkeys(["Hindi", "Urdu", city.language]))
            if rng.random() < 0.4:
                languages.append("some English")
            packages = [_package(rate, offer) for service_type, count in mix.items()
                        for offer in rng.sample(OFFERS[service_type], count)]
            if len(packages) < 4 and rng.random() < 0.1:  # one they no longer offer, seen only on their dashboard
                spare = [offer for offers in OFFERS.values() for offer in offers
                         if offer.name not in {package["name"] for package in packages}]
                packages.append(_package(rate, rng.choice(spare), active=False))
            kyc = rng.choices(*zip(*KYC_SHARES))[0]
            low, high = JOINED_DAYS_AGO[kyc]
            joined = on_day(now, rng.randint(low, high), f"{rng.randint(7, 21):02d}:{rng.randint(0, 59):02d}")
            set_up = joined + timedelta(minutes=rng.randint(10, 150))
            person = Plan(
                name=f"{first} {surname}", email=email, phone=phone, joined=joined, set_up=set_up,
                profile={"bio": _bio(rng, area=area.name, years=years, style=style, languages=languages),
                         "experience_years": years, "hourly_rate": rate,
                         "street": _street(rng, city.name, area.name), "city": city.name, "state": city.state,
                         "pincode": area.pincode, "latitude": latitude, "longitude": longitude},
                week=_week(rng), packages=packages, kyc=kyc, available=rng.random() >= UNAVAILABLE_SHARE)
            if kyc != NO_KYC:
                person.kyc_details = _kyc_details(rng, first, surname)
                hours = (1, 20) if kyc == PENDING else (1, 48)
                person.kyc_sent = set_up + timedelta(minutes=round(rng.uniform(*hours) * 60))
            if kyc in (VERIFIED, REJECTED):
                person.kyc_reviewed = next_at(person.kyc_sent + timedelta(hours=1), rng.choice(REVIEW_SITTINGS))
            if kyc == VERIFIED:
                person.counters, person.last_rating = _counters(
                    rng, active_days=(now - person.kyc_reviewed).total_seconds() / 86_400)
            plans.append(person)
    return plans


# --- the demo accounts' own profiles ---------------------------------------------------------------

RAVI = {
    "profile": {"bio": "Ravi here: six years of home cleaning in Koramangala, HSR Layout and BTM Layout, and the "
                       "Cubbon Park and Koramangala clean-ups on Cleanit's jobs board. Kitchens and bathrooms are my "
                       "speciality. I bring my own mops, scrubbers and eco-friendly cleaners. I speak Kannada, "
                       "Tamil, Hindi and English.",
                "experience_years": 6, "hourly_rate": 350_00, "street": "No. 48, 1st Cross, 4th Block, Koramangala",
                "city": "Bengaluru", "state": "Karnataka", "pincode": "560034", "latitude": 12.934120,
                "longitude": 77.627310},
    "week": [{"weekday": day, "start": start, "end": end} for day in range(5)
             for start, end in (("09:00", "13:00"), ("15:00", "19:00"))] + [
        {"weekday": 5, "start": "09:00", "end": "14:00"}],
    "offers": (("2 BHK basic clean", True), ("Kitchen deep clean", True), ("Bathroom deep clean (2 bathrooms)", True),
               ("Sofa shampoo (up to 5 seats)", True), ("Windows and balcony glass", False)),
    "set_up": (94, "09:40"),  # the morning after he joined, before sending his KYC
    "counters": {"completed_bookings": 41, "accepted_bookings": 44, "cleaner_cancellations": 1,
                 "response_count": 47, "response_seconds_total": 47 * 12 * 60, "rating_total": 141,
                 "rating_count": 30},
    "last_rating": 5,
}
SUNITA = {
    "profile": {"bio": "Nine years of cleaning homes in Andheri and Juhu. Regular weekly cleaning for working "
                       "families, and windows that sparkle. I bring the cleaning liquids; please keep a bucket and "
                       "a mop ready. I speak Hindi, Marathi and some English.",
                "experience_years": 9, "hourly_rate": 300_00, "street": "Flat 304, Sai Darshan CHS, Andheri West",
                "city": "Mumbai", "state": "Maharashtra", "pincode": "400053", "latitude": 19.135120,
                "longitude": 72.826310},
    "week": [{"weekday": day, "start": "07:00", "end": "12:00"} for day in range(6)] + [
        {"weekday": 6, "start": "08:00", "end": "11:00"}],
    "offers": (("1 BHK basic clean", True), ("2 BHK basic clean", True), ("Windows and balcony glass", True)),
    "set_up": (39, "16:10"),  # the day after she joined, before sending her KYC
    "counters": {"completed_bookings": 14, "accepted_bookings": 15, "cleaner_cancellations": 0,
                 "response_count": 16, "response_seconds_total": 16 * 35 * 60, "rating_total": 45,
                 "rating_count": 10},
    "last_rating": 4,
}
_OFFER_BY_NAME = {offer.name: offer for offers in OFFERS.values() for offer in offers}


def _account_plan(user: User, story: dict, now: datetime) -> Plan:
    rate = story["profile"]["hourly_rate"]
    return Plan(name=user.name, email=user.email, phone=user.phone, joined=user.date_joined,
                set_up=on_day(now, *story["set_up"]), profile=story["profile"], week=story["week"],
                packages=[_package(rate, _OFFER_BY_NAME[name], active=active) for name, active in story["offers"]],
                counters=story["counters"], last_rating=story["last_rating"])


# --- loading ---------------------------------------------------------------------------------------

def _accounts(plans: list[Plan]) -> list[User]:
    """The generated cleaners' accounts, inserted at once: one hash of the demo password for all (each
    hash costs bcrypt's full work factor), e-mail confirmed and terms accepted as they joined."""
    password = make_password(settings.DEMO_PASSWORD)
    return User.objects.bulk_create([
        User(email=person.email, name=person.name, phone=person.phone, role=Role.CLEANER, password=password,
             date_joined=person.joined, email_verified_at=person.joined, terms_version=settings.TERMS_VERSION,
             terms_accepted_at=person.joined) for person in plans])


def _profiles(people: list[tuple[User, Plan]]) -> list[CleanerProfile]:
    """Each profile through profile_save (its checks, its city key); the weekly schedules (checked by
    schedule_ranges_check) and the packages inserted at once; each "from" price by the package
    services' own refresh. Then each is dated when its cleaner set it up, with its seeded figures."""
    profiles, ranges, packages = [], [], []
    for user, person in people:
        profile, _ = services.profile_save(user=user, **person.profile)
        profiles.append(profile)
        ranges += [ScheduleRange(profile=profile, weekday=day, start_minute=start, end_minute=end)
                   for day, start, end in services.schedule_ranges_check(person.week)]
        packages += [ServicePackage(cleaner=profile, **package) for package in person.packages]
    ScheduleRange.objects.bulk_create(ranges)
    ServicePackage.objects.bulk_create(packages)
    for profile, (_, person) in zip(profiles, people):
        min_active_price_refresh(profile)
        stamps = {"created_at": person.set_up, "updated_at": person.set_up}
        CleanerProfile.objects.filter(pk=profile.pk).update(**stamps)
        ScheduleRange.objects.filter(profile=profile).update(**stamps)
        ServicePackage.objects.filter(cleaner=profile).update(**stamps)
    return profiles


def _kyc_send(user: User, person: Plan) -> None:
    services.kyc_submit(user=user, account_holder_name=user.name, now=person.kyc_sent, **person.kyc_details)


def _kyc_review(user: User, person: Plan, admin: User) -> None:
    """The admin's decision, from the notice the submission sent; the notice is read as it is acted on."""
    kyc = user.kyc
    if person.kyc == VERIFIED:
        services.kyc_review(kyc=kyc, admin=admin, action="verify", now=person.kyc_reviewed)
    else:
        services.kyc_review(kyc=kyc, admin=admin, action="reject", reason=REJECTION_REASON, now=person.kyc_reviewed)
    notice = Notification.objects.filter(user=admin, event="kyc.submitted", link=reverse(
        "admin:marketplace_cleanerkyc_change", args=[kyc.pk])).values_list("pk", flat=True).first()
    if notice is not None:
        notification_services.notification_mark_read(user=admin, notification_id=notice, now=person.kyc_reviewed)


def _kyc(people: list[tuple[User, Plan]], admin: User) -> None:
    """KYC sent and reviewed through the services, in the order of the story, each step at its moment."""
    events: list[tuple[datetime, int, Callable[[], None]]] = []
    for order, (user, person) in enumerate(people):
        if person.kyc_sent:
            events.append((person.kyc_sent, order, lambda user=user, person=person: _kyc_send(user, person)))
        if person.kyc_reviewed:
            events.append((person.kyc_reviewed, order,
                           lambda user=user, person=person: _kyc_review(user, person, admin)))
    with story() as step:
        for moment, _, action in sorted(events, key=lambda event: event[:2]):
            with step(moment):
                action()


def load_demo_cleaners(*, admin: User, cleaner: User, sunita: User, now: datetime) -> int:
    """Profiles for the demo cleaner (Ravi, Bengaluru) and Sunita (Mumbai), and the generated cleaners.
    Idempotent: recognised by Ravi's profile. Returns how many profiles were made."""
    if CleanerProfile.objects.filter(user=cleaner).exists():
        return 0
    plans = plan(now)
    people = [(cleaner, _account_plan(cleaner, RAVI, now)), (sunita, _account_plan(sunita, SUNITA, now)),
              *zip(_accounts(plans), plans)]
    profiles = _profiles(people)
    for user, person in people:
        if not person.available:
            services.availability_set(user=user, is_available=False)
    _kyc(people, admin)
    return len(profiles)
