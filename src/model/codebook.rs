//! The default codebook new projects start with: themes that recur in research on
//! dialogue and conflict around mining (state absence, trust, police use …).

/// One code of the default codebook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DefaultCode {
    /// The code's name.
    pub name: &'static str,
    /// Its one-line definition.
    pub description: &'static str,
    /// Its colour, `#RRGGBB`.
    pub color: &'static str,
}

/// The default codebook, in display order.
pub const DEFAULT_CODEBOOK: [DefaultCode; 14] = [
    DefaultCode {
        name: "State absence",
        description: "The state is missing or fails to provide services, mediation, oversight or protection.",
        color: "#E46C5A",
    },
    DefaultCode {
        name: "Trust",
        description: "Trust or distrust between the community, the company, the state and NGOs.",
        color: "#4E9AD6",
    },
    DefaultCode {
        name: "Police use",
        description: "Police or armed forces acting for the company, or deployed against protesters.",
        color: "#3D4E8A",
    },
    DefaultCode {
        name: "NGO cooptation",
        description: "NGOs seen as captured by the company, the state or outside interests, or as steering the community.",
        color: "#9B7BC9",
    },
    DefaultCode {
        name: "Environment and water",
        description: "Effects, fears or claims about water, land, air, livestock and health.",
        color: "#4FB3AA",
    },
    DefaultCode {
        name: "Power inequality",
        description: "Unequal power, resources or knowledge between the parties to a conflict or dialogue.",
        color: "#C45C7A",
    },
    DefaultCode {
        name: "Social organisation",
        description: "How the community organises itself: assemblies, leaders, defence fronts, divisions.",
        color: "#6BB36B",
    },
    DefaultCode {
        name: "Respect for culture",
        description: "Respect or disregard for customs, language, sacred places and ways of life.",
        color: "#D977B0",
    },
    DefaultCode {
        name: "Local government",
        description: "The role of the district or provincial municipality and its authorities.",
        color: "#E0A43A",
    },
    DefaultCode {
        name: "Regional development",
        description: "Expectations and results of development, investment and mining royalties for the region.",
        color: "#8AB045",
    },
    DefaultCode {
        name: "Follow-up of agreements",
        description: "Whether commitments made at dialogue tables are tracked and kept.",
        color: "#B87D4B",
    },
    DefaultCode {
        name: "Company attitude",
        description: "How the company behaves: openness, arrogance, compliance, community relations.",
        color: "#7F9CB8",
    },
    DefaultCode {
        name: "Employment",
        description: "Jobs, local hiring, contractors and working conditions.",
        color: "#9C8A5E",
    },
    DefaultCode {
        name: "Information and transparency",
        description: "Access to information about the project, its studies, permits and decisions.",
        color: "#5E8C9C",
    },
];
