"""The words the forums demo writes: names of smaller communities, skills,
topics, owners of action items and venues, trainers' initiatives, tension
reports and press releases, in Albanian and Serbian."""

from cpis.organisation.demo import COMMUNITY_MIX

from ..models import Community

SERBIAN_MUNICIPALITIES = COMMUNITY_MIX["serbian"]
# Smaller communities, where they mostly live.
MINORITIES = {
    "prizren": [Community.TURKISH, Community.BOSNIAK, Community.ROMA],
    "mamushe": [Community.TURKISH],
    "dragash": [Community.GORANI, Community.BOSNIAK],
    "peje": [Community.BOSNIAK, Community.ROMA, Community.EGYPTIAN],
    "istog": [Community.BOSNIAK, Community.EGYPTIAN],
    "gjakove": [Community.EGYPTIAN, Community.ROMA],
    "ferizaj": [Community.ASHKALI],
    "fushe-kosove": [Community.ASHKALI, Community.ROMA],
    "lipjan": [Community.ASHKALI, Community.SERBIAN],
    "obiliq": [Community.SERBIAN, Community.ROMA, Community.ASHKALI],
    "mitrovice-e-jugut": [Community.ROMA, Community.ASHKALI, Community.BOSNIAK],
    "mitrovice-e-veriut": [Community.BOSNIAK, Community.ALBANIAN],
    "gjilan": [Community.SERBIAN, Community.TURKISH, Community.ROMA],
    "kamenice": [Community.SERBIAN, Community.ROMA],
    "vushtrri": [Community.ASHKALI, Community.SERBIAN],
    "prishtine": [Community.SERBIAN, Community.TURKISH, Community.BOSNIAK, Community.ROMA],
}
ROMA_NAMES = {
    "male": ["Bajram", "Sabit", "Ramadan", "Nexhmedin", "Skender", "Avdyl", "Muharrem", "Daut"],
    "female": ["Shpresa", "Sanije", "Hava", "Merita", "Fatime", "Nurije"],
    "surnames": ["Berisha", "Gashi", "Krasniqi", "Mustafa", "Rama", "Osmani", "Kurteshi", "Salihu"],
}
GORANI_NAMES = {
    "male": ["Ramiz", "Adem", "Sejdi", "Ferat", "Mensur"],
    "female": ["Zejna", "Ajsa", "Remzija"],
    "surnames": ["Sejdiu", "Ramadani", "Emini", "Dauti", "Kuklibeg"],
}
SKILLS_SQ = [
    "Ndihma e parë",
    "Ndërmjetësim në konflikte",
    "Flet gjuhën serbe",
    "Trajner për siguri në bashkësi (ToT)",
    "Zjarrfikës vullnetar",
    "Mësues në shkollën fillore",
    "Jurist",
    "Punëtor social",
]
SKILLS_SR = [
    "Прва помоћ",
    "Посредовање у сукобима",
    "Говори албански",
    "Тренер за безбедност заједнице (ToT)",
    "Добровољни ватрогасац",
    "Учитељ",
]
TOPICS_SQ = [
    "ndriçimi i rrugëve pranë shkollës",
    "shpejtësia e veturave në rrugën kryesore",
    "qentë endacakë",
    "vjedhjet e kabllove të rrymës",
    "siguria e nxënësve në hyrje dhe dalje të shkollës",
    "mbeturinat dhe hedhja ilegale",
    "zhurma natën nga lokalet",
    "parkimi në trotuar",
    "dhuna në familje dhe mbështetja për viktimat",
    "përdorimi i narkotikëve nga të rinjtë",
]
TOPICS_SR = [
    "осветљење улица поред школе",
    "брзина возила на главном путу",
    "пси луталице",
    "крађе каблова",
    "безбедност деце на путу до школе",
    "дивље депоније",
    "паркирање на тротоару",
]
OWNERS_SQ = [
    "Kryetari i komitetit",
    "Udhëheqësi i sektorit",
    "Komuna – drejtoria e shërbimeve publike",
    "Sekretari",
]
OWNERS_SR = ["Председник савета", "Вођа сектора", "Општина – служба за јавне радове", "Секретар"]
VENUES_SQ = ["Shkolla fillore", "Zyra e bashkësisë lokale", "Salla e kuvendit komunal", "Stacioni policor"]
VENUES_SR = ["Основна школа", "Канцеларија месне заједнице", "Сала скупштине општине", "Полицијска станица"]
INITIATIVES_SQ = [
    "Rruga e sigurt për në shkollë, SHFMU",
    "Parandalimi i dhunës në familje",
    "Siguria në trafik për të moshuarit",
]
INITIATIVES_SR = ["Безбедан пут до школе, ОШ „Вук Караџић”", "Превенција насиља у породици"]
AUDIENCES_SQ = ["Nxënës dhe prindër", "Gratë e lagjes", "Të rinjtë e fshatit"]
AUDIENCES_SR = ["Ученици и родитељи", "Жене из месне заједнице"]
TENSIONS_SQ = [
    "Përplasje verbale mes të rinjve pas ndeshjes.",
    "Mosmarrëveshje për kullotat mes dy fshatrave.",
    "Grafite fyese në murin e shkollës.",
]
TENSIONS_SR = ["Расправа међу младима после утакмице.", "Спор око коришћења пашњака."]
FOLLOW_UP_SQ = "U shtuan patrullat dhe u mbajt takim me prindërit."
FOLLOW_UP_SR = "Појачане патроле и састанак са родитељима."
# A press release's title (with the forum's name) and body.
RELEASE_SQ = (
    "{forum}: takim me qytetarët",
    "Në takim morën pjesë banorët, përfaqësues të komunës dhe të policisë. "
    "U diskutua për sigurinë e fëmijëve në rrugë për në shkollë "
    "dhe për ndriçimin e rrugëve.",
)
RELEASE_SR = (
    "{forum}: састанак са грађанима",
    "На састанку су учествовали грађани, представници општине и полиције. "
    "Разговарало се о безбедности деце на путу до школе и о осветљењу улица.",
)
