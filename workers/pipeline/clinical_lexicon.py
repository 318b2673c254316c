"""The built-in clinical lexicon that biases recognition for medical jobs by default.

A general-purpose Whisper model knows "metformin" but ranks "met formin" or "that form in" close
behind; a short list of the words primary care uses most tips the balance. It has three parts:

* ``DRUGS`` and ``CONDITIONS``: written forms, used in the decoding prompt (the most common ones,
  ``PROMPT_TERMS``) and as targets for the conservative spelling correction of near misses;
* ``ABBREVIATIONS``: abbreviations clinicians read aloud letter by letter ("C O P D"), with the
  written form the transcript should show;
* ``CONFUSABLE``: real words that look like lexicon terms ("hypotension" next to "hypertension");
  they are never "corrected", since a near miss of one is often the other.

The lists are data, not code: add to them freely. Operators switch the lexicon off with
``HARKEN_MEDICAL__LEXICON=false`` (custom medical vocabularies still apply).
"""

from __future__ import annotations

#: Generic drug names among the most prescribed in US primary care.
DRUGS: tuple[str, ...] = (
    "lisinopril", "metformin", "atorvastatin", "amlodipine", "metoprolol", "levothyroxine",
    "omeprazole", "losartan", "simvastatin", "albuterol", "gabapentin", "hydrochlorothiazide",
    "sertraline", "furosemide", "rosuvastatin", "pantoprazole", "escitalopram", "montelukast",
    "prednisone", "bupropion", "fluoxetine", "carvedilol", "tramadol", "trazodone", "insulin",
    "warfarin", "apixaban", "rivaroxaban", "clopidogrel", "meloxicam", "citalopram", "tamsulosin",
    "spironolactone", "atenolol", "allopurinol", "cyclobenzaprine", "glipizide", "duloxetine",
    "venlafaxine", "lamotrigine", "propranolol", "amoxicillin", "azithromycin", "doxycycline",
    "cephalexin", "ciprofloxacin", "nitrofurantoin", "sulfamethoxazole", "trimethoprim",
    "ibuprofen", "acetaminophen", "naproxen", "aspirin", "hydrocodone", "oxycodone",
    "fluticasone", "budesonide", "tiotropium", "cetirizine", "loratadine", "famotidine",
    "ondansetron", "methotrexate", "hydroxychloroquine", "digoxin", "diltiazem", "valsartan",
    "olmesartan", "pioglitazone", "sitagliptin", "empagliflozin", "dapagliflozin",
    "semaglutide", "liraglutide", "glimepiride", "estradiol", "finasteride", "sumatriptan",
    "alprazolam", "lorazepam", "clonazepam", "zolpidem", "quetiapine", "aripiprazole",
    "risperidone", "buspirone", "mirtazapine", "nortriptyline", "amitriptyline", "topiramate",
    "levetiracetam", "enoxaparin", "heparin", "nitroglycerin", "potassium chloride",
)

#: Conditions, findings and procedures common in primary-care notes.
CONDITIONS: tuple[str, ...] = (
    "hypertension", "hyperlipidemia", "hypercholesterolemia", "diabetes mellitus",
    "hypothyroidism", "hyperthyroidism", "atrial fibrillation", "congestive heart failure",
    "coronary artery disease", "myocardial infarction", "angina", "tachycardia", "bradycardia",
    "arrhythmia", "cardiomyopathy", "pneumonia", "bronchitis", "asthma", "emphysema",
    "sinusitis", "pharyngitis", "otitis media", "cellulitis", "urinary tract infection",
    "pyelonephritis", "gastroenteritis", "gastroesophageal reflux", "diverticulitis",
    "cholecystitis", "pancreatitis", "appendicitis", "hepatitis", "cirrhosis", "anemia",
    "osteoarthritis", "rheumatoid arthritis", "osteoporosis", "gout", "fibromyalgia",
    "neuropathy", "migraine", "dementia", "depression", "anxiety", "insomnia",
    "obesity", "dyspnea", "edema", "syncope", "vertigo", "nausea", "diarrhea", "constipation",
    "hematuria", "proteinuria", "dysuria", "erythema", "rhonchi", "wheezing", "auscultation",
    "palpation", "tenderness", "lymphadenopathy", "murmur", "thrombosis", "embolism",
    "chronic kidney disease", "nephrolithiasis", "benign prostatic hyperplasia", "psoriasis",
    "eczema", "dermatitis", "hemoglobin", "creatinine", "cholesterol", "triglycerides",
    "echocardiogram", "electrocardiogram", "colonoscopy", "mammogram", "spirometry",
    "bilateral", "unremarkable", "afebrile", "normocephalic", "atraumatic", "milligrams",
)

#: Real words next to lexicon terms: a transcript word equal to one of them is left alone.
CONFUSABLE: tuple[str, ...] = (
    "hypotension", "hypoglycemia", "hyperglycemia", "hypokalemia", "hyperkalemia",
    "hyponatremia", "hypernatremia", "hyperthyroid", "hypothyroid", "tachypnea", "bradypnea",
    "hypertensive", "hypotensive", "diabetic", "infection", "infections", "medication",
    "medications", "prescription", "condition", "conditions", "depressed", "anxious",
    "milliliters", "micrograms", "kilograms", "arthritis", "emphysematous", "interaction",
)

#: Abbreviations read aloud letter by letter → the written form.
ABBREVIATIONS: dict[str, str] = {
    "copd": "COPD", "chf": "CHF", "cad": "CAD", "ckd": "CKD", "gerd": "GERD", "uti": "UTI",
    "dvt": "DVT", "bph": "BPH", "ekg": "EKG", "ecg": "ECG", "cbc": "CBC", "bmp": "BMP",
    "cmp": "CMP", "tsh": "TSH", "mri": "MRI", "bid": "BID", "tid": "TID", "qid": "QID",
    "prn": "PRN", "npo": "NPO", "hpi": "HPI", "ros": "ROS", "bmi": "BMI", "ldl": "LDL",
    "hdl": "HDL", "nsaid": "NSAID", "ssri": "SSRI", "adhd": "ADHD", "gfr": "GFR",
    "heent": "HEENT", "ent": "ENT", "ekgs": "EKGs",
}

#: The terms that go into the decoding prompt (the prompt holds about 200 tokens, so not all).
PROMPT_TERMS: tuple[str, ...] = (
    "lisinopril", "metformin", "atorvastatin", "amlodipine", "metoprolol", "levothyroxine",
    "omeprazole", "losartan", "albuterol", "gabapentin", "hydrochlorothiazide", "sertraline",
    "furosemide", "prednisone", "warfarin", "apixaban", "clopidogrel", "amoxicillin",
    "azithromycin", "insulin", "hypertension", "hyperlipidemia", "diabetes mellitus",
    "hypothyroidism", "atrial fibrillation", "congestive heart failure", "COPD", "pneumonia",
    "dyspnea", "edema", "tachycardia", "osteoarthritis", "cellulitis", "GERD", "BID", "PRN",
    "milligrams",
)


def single_word_terms() -> tuple[str, ...]:
    """Lexicon terms written as one word: the targets of near-miss correction."""
    return tuple(t for t in (*DRUGS, *CONDITIONS) if " " not in t)


def multi_word_terms() -> tuple[str, ...]:
    return tuple(t for t in (*DRUGS, *CONDITIONS) if " " in t)
