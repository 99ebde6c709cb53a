from source_tiktok_shop.run import run

if __name__ == "__main__":
    run()
