"""The domain used by bench/vocabulary_accuracy.py: a made-up pharmaceutical and networking
company whose product names no speech model has seen, plus everyday sentences without them.

Terms are invented on purpose: a real rare word might be in Whisper's training data, an invented
one never is, so "recognised without the vocabulary" cannot happen by luck.
"""

from __future__ import annotations

#: Vocabulary table rows: (Phrase, SoundsLike, DisplayAs).
VOCABULARY: list[tuple[str, str, str]] = [
    ("Zyloquent", "", ""),
    ("Quorvex", "", ""),
    ("Brevanta", "", ""),
    ("Maltrivia", "", ""),
    ("Tenzarine", "", ""),
    ("Velmorix", "", ""),
    ("Oxandrel", "", ""),
    ("Drevicor", "", ""),
    ("Pellacort", "", ""),
    ("Sarnoxil", "", ""),
    ("Kelvaxa", "", ""),
    ("Ubrinex", "", ""),
    ("Fentalune", "", ""),
    ("Gravimax", "", "GraviMax"),
    ("Nebulink", "", "NebuLink"),
    ("Torvane", "", ""),
]

#: (sentence as spoken, reference as it should be written). Every one holds at least one term.
DOMAIN: list[tuple[str, str]] = [
    (
        "Please give the patient twenty milligrams of Zyloquent twice a day.",
        "Please give the patient 20 milligrams of Zyloquent twice a day.",
    ),
    ("Our new router, the Quorvex, ships next month.", ""),
    ("The Brevanta project was approved by the board yesterday.", ""),
    ("She moved to Maltrivia after finishing her degree.", ""),
    ("Run the Tenzarine scanner before you commit the code.", ""),
    ("We met Doctor Velmorix at the conference in Denver.", "We met Dr. Velmorix at the conference in Denver."),
    ("Oxandrel should be taken with food.", ""),
    ("The trial compared Drevicor with a placebo.", ""),
    ("Apply Pellacort cream to the rash each morning.", ""),
    ("Sarnoxil is not safe during pregnancy.", ""),
    ("The Kelvaxa vaccine needs two doses.", ""),
    ("Ubrinex lowers blood pressure within a week.", ""),
    ("Fentalune helps patients sleep through the night.", ""),
    ("Connect the Gravimax sensor to the second port.", "Connect the GraviMax sensor to the second port."),
    ("Nebulink keeps every office on the same network.", "NebuLink keeps every office on the same network."),
    ("The Torvane gateway dropped all traffic last night.", ""),
    ("Switch the patient from Drevicor to Zyloquent.", ""),
    ("Quorvex and Nebulink now share one dashboard.", "Quorvex and NebuLink now share one dashboard."),
    ("Ask the pharmacist whether Oxandrel interacts with Ubrinex.", ""),
    ("The Maltrivia office installed a new Torvane firewall.", ""),
    ("Stop taking Sarnoxil if you feel dizzy.", ""),
    ("The Tenzarine report flagged three problems.", ""),
    ("Doctor Velmorix prescribed Fentalune for her insomnia.", "Dr. Velmorix prescribed Fentalune for her insomnia."),
    ("Store Kelvaxa in the refrigerator.", ""),
    ("The Gravimax readings looked normal today.", "The GraviMax readings looked normal today."),
    ("Brevanta will replace the old billing system.", ""),
    ("Pellacort is only for use on the skin.", ""),
    ("Every Quorvex unit comes with a spare cable.", ""),
    ("The nurse checked the Zyloquent dose again.", ""),
    ("Nebulink reported a fault in the Torvane cluster.", "NebuLink reported a fault in the Torvane cluster."),
    ("Ubrinex tablets are white and round.", ""),
    ("Our team in Maltrivia tested the Brevanta release.", ""),
]

#: Everyday sentences: a vocabulary must not make these worse.
GENERAL: list[tuple[str, str]] = [
    ("The weather was cold and windy all weekend.", ""),
    ("Please close the door when you leave the room.", ""),
    ("My brother bought a new car last summer.", ""),
    ("We had pasta and salad for dinner.", ""),
    ("The train to the city leaves at seven.", ""),
    ("She reads a book every night before bed.", ""),
    ("The children played in the park until dark.", ""),
    ("Can you send me the report by Friday?", ""),
    ("The meeting was moved to the large room upstairs.", ""),
    ("He forgot his umbrella at the office.", ""),
    ("The museum is closed on Mondays.", ""),
    ("I need to buy milk, eggs and bread.", ""),
]

#: Domain text a customer would train a custom language model on: product documentation and notes
#: that use the terms in context (none of the test sentences appear in it).
TRAINING_TEXT = """\
Zyloquent is an oral anticoagulant. The usual Zyloquent dose is ten to twenty milligrams.
Patients on Zyloquent need regular blood tests. Do not combine Zyloquent with Drevicor.
Drevicor is a beta blocker. Drevicor tablets are taken once a day. Drevicor may cause tiredness.
Oxandrel is an antibiotic. Oxandrel is taken with meals. A course of Oxandrel lasts seven days.
Pellacort is a steroid cream. Pellacort should be applied thinly. Pellacort is not for the face.
Sarnoxil treats migraine. Sarnoxil can cause dizziness. Sarnoxil is not for use in pregnancy.
Kelvaxa is a vaccine against shingles. Kelvaxa is given in two doses. Keep Kelvaxa cold.
Ubrinex treats high blood pressure. Ubrinex works within a week. Ubrinex tablets are round.
Fentalune is a sleep aid. Fentalune should be taken at bedtime. Fentalune can cause drowsiness.
Doctor Velmorix leads the clinical team. Doctor Velmorix reviews every Zyloquent prescription.
The Quorvex router connects branch offices. Each Quorvex unit has four ports. Quorvex firmware updates monthly.
Nebulink is our network management service. Nebulink monitors every Quorvex router.
Nebulink alerts the team when a Torvane gateway fails. Nebulink dashboards show traffic.
The Torvane gateway filters traffic. Torvane firewalls protect the data centre. Torvane logs are kept for a year.
The Gravimax sensor measures pressure. Gravimax readings are sent to Nebulink. Calibrate each Gravimax sensor yearly.
The Tenzarine scanner checks code for security problems. Run Tenzarine before every release.
Tenzarine reports list every problem found. The Tenzarine dashboard shows trends.
Brevanta is the new billing platform. Brevanta replaces the old invoicing system. The Brevanta release is due in spring.
Our offices are in Denver and Maltrivia. The Maltrivia team supports Brevanta customers.
The Maltrivia office runs a Torvane firewall and a Quorvex router.
"""

#: A separate TUNING set, written on 2026-11-22 before any result of the selective-bias decoder was
#: seen: thresholds of the candidate search and the acceptance test were chosen on these sentences
#: only (``--set tuning``). The DOMAIN/GENERAL sets above stay the measurement set.
TUNING_DOMAIN: list[tuple[str, str]] = [
    ("The pharmacy ran out of Zyloquent on Monday.", ""),
    ("Reset the Quorvex before you call support.", ""),
    ("Finance wants a Brevanta demo next week.", ""),
    ("The flight to Maltrivia was delayed by two hours.", ""),
    ("Tenzarine found a leaked password in the repository.", ""),
    ("Velmorix will review the results on Thursday.", ""),
    ("Oxandrel can upset the stomach.", ""),
    ("Drevicor slows the heart rate.", ""),
    ("Do not put Pellacort near your eyes.", ""),
    ("Sarnoxil comes in a blue box.", ""),
    ("The clinic ordered more Kelvaxa for the winter.", ""),
    ("Take one Ubrinex tablet after breakfast.", ""),
    ("Fentalune made him feel groggy in the morning.", ""),
    ("Mount the Gravimax sensor on the north wall.", "Mount the GraviMax sensor on the north wall."),
    ("Log in to Nebulink with your company account.", "Log in to NebuLink with your company account."),
    ("A second Torvane gateway was added in March.", ""),
]

#: Everyday sentences of the tuning set.
TUNING_GENERAL: list[tuple[str, str]] = [
    ("The bus was late again this morning.", ""),
    ("We painted the kitchen a light shade of green.", ""),
    ("My sister is learning to play the piano.", ""),
    ("Turn left at the bakery and walk two blocks.", ""),
    ("The dog barked at the mailman all afternoon.", ""),
    ("Could you water the plants while I am away?", ""),
    ("They watched a movie and went to sleep early.", ""),
    ("The soup needs a little more salt.", ""),
    ("Our neighbours are moving to another town.", ""),
    ("I left my keys on the kitchen table.", ""),
    ("The library opens at nine on Saturdays.", ""),
    ("He runs five miles before work every day.", ""),
    ("The store sells fresh fruit and vegetables.", ""),
    ("Please write your name at the top of the page.", ""),
    ("It rained so hard that the street flooded.", ""),
    ("We are planning a trip to the mountains in June.", ""),
]

#: A HOLDOUT set, written on 2026-11-22 before any change to the decoder it will judge (branch
#: vocab4): new sentences with the same 16 terms, and new everyday sentences. Nothing is tuned on
#: it; it is run once, with the final code (``--set holdout``). TRAINING_TEXT holds none of them.
HOLDOUT_DOMAIN: list[tuple[str, str]] = [
    ("The doctor lowered his Zyloquent dose after the surgery.", ""),
    ("Bring the Zyloquent leaflet to your next appointment.", ""),
    ("Unplug the Quorvex and wait ten seconds.", ""),
    ("The warehouse has forty Quorvex units in stock.", ""),
    ("Brevanta sends the invoices at the end of each month.", ""),
    ("Nobody could log in to Brevanta this morning.", ""),
    ("The ferry to Maltrivia leaves from the north pier.", ""),
    ("Prices in Maltrivia went up again this year.", ""),
    ("The Tenzarine results are attached to the ticket.", ""),
    ("Add Tenzarine to the build pipeline.", ""),
    ("Velmorix asked the nurses to check the charts again.", ""),
    ("The letter was signed by Doctor Velmorix.", "The letter was signed by Dr. Velmorix."),
    ("Finish every Oxandrel tablet even if you feel better.", ""),
    ("The child had a rash after the first Oxandrel dose.", ""),
    ("Drevicor can make your hands feel cold.", ""),
    ("Her father has taken Drevicor for years.", ""),
    ("Wash your hands after using Pellacort.", ""),
    ("A small tube of Pellacort lasts about a month.", ""),
    ("He keeps a box of Sarnoxil in his desk drawer.", ""),
    ("Sarnoxil works best when taken early.", ""),
    ("The second Kelvaxa shot is due in June.", ""),
    ("My arm was sore after the Kelvaxa injection.", ""),
    ("Ubrinex should not be stopped suddenly.", ""),
    ("The pharmacist swapped the Ubrinex for a cheaper brand.", ""),
    ("Fentalune is not for children under twelve.", ""),
    ("She took half a Fentalune before the long flight.", ""),
    ("The Gravimax battery lasts about two years.", "The GraviMax battery lasts about two years."),
    ("Each floor has its own Gravimax unit.", "Each floor has its own GraviMax unit."),
    ("Nebulink sent an alert just after midnight.", "NebuLink sent an alert just after midnight."),
    ("The new branch is not on Nebulink yet.", "The new branch is not on NebuLink yet."),
    ("Restart the Torvane gateway in the basement.", ""),
    ("Torvane blocked the suspicious login attempts.", ""),
    ("Give Fentalune only at night and Drevicor in the morning.", ""),
    ("The Quorvex in Maltrivia lost power twice.", ""),
    ("Ubrinex and Oxandrel can be taken together.", ""),
    ("Nebulink shows the Gravimax readings in real time.", "NebuLink shows the GraviMax readings in real time."),
]

#: Everyday sentences of the holdout set.
HOLDOUT_GENERAL: list[tuple[str, str]] = [
    ("The coffee machine on the third floor is broken.", ""),
    ("We walked along the beach until the sun went down.", ""),
    ("My grandmother makes the best apple pie.", ""),
    ("The printer ran out of paper again.", ""),
    ("Please turn off the lights before you go to bed.", ""),
    ("The teacher handed back the tests on Tuesday.", ""),
    ("Our flight was cancelled because of the storm.", ""),
    ("He fixed the bicycle with an old wrench.", ""),
    ("The baby finally fell asleep after lunch.", ""),
    ("They opened a new bakery across the street.", ""),
    ("I will call you when the package arrives.", ""),
    ("The garden looks lovely in the spring.", ""),
    ("She lost her phone on the way to school.", ""),
    ("We need more chairs for the party on Sunday.", ""),
]
