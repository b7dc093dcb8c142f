"""The profitability explorer: a Streamlit app over the serving snapshot (`make app`)."""
